/** The team's proto corpus directory (shared/protos/corpus). */
export declare function findCorpus(): string;
/** Every file under `dir` whose name ends with `suffix`, as absolute paths. */
export declare function listFiles(dir: string, suffix: string): string[];
