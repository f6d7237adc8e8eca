// Prints the configuration table (generated from src/config.ts) as Markdown for the README.
import { configTableMarkdown } from '../src/config.ts';

process.stdout.write(configTableMarkdown());
