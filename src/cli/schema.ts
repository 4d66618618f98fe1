/** `mlflow-gate schema`: prints the JSON Schema of the config file, for editors and CI. */
import { z } from 'zod'
import { configSchema } from '../config/schema.js'
import type { Command } from './index.js'

/** The JSON Schema of what a user may write (defaults make fields optional). */
export function configJsonSchema(): object {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://github.com/mlflow-gate/mlflow-gate/config.schema.json',
    title: 'mlflow-gate configuration',
  }
}

export const schemaCommand: Command = {
  summary: 'print the JSON Schema of the config file',
  usage: 'Usage: mlflow-gate schema',
  help: `Prints the JSON Schema (draft 2020-12) of the config file. The repository keeps a copy in
config.schema.json; point your editor's YAML support at it, e.g. with a first line of
  # yaml-language-server: $schema=./config.schema.json
`,
  options: {},
  async run() {
    process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`)
    return 0
  },
}
