/** The admin and account pages' part of /_gate/static/gate.css: layout, navigation, panels, tables, forms, badges, flash messages. */
import { CONTROLS_CSS } from './controls-css.js'
import { LAYOUT_CSS } from './layout-css.js'

export const ADMIN_CSS = LAYOUT_CSS + CONTROLS_CSS
