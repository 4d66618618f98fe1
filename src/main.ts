#!/usr/bin/env node
/** Process entry: hands argv to the CLI and is the only place that sets the exit code. */
import { runCli } from './cli/index.js'

process.exitCode = await runCli(process.argv.slice(2))
