/**
 * npm run trace -- … is kept as an alias of `npm run sim -- trace …` (links and scripts written before
 * the one command line still work).
 */
import { runCli } from "./sim";

runCli(["trace", ...process.argv.slice(2)]);
