/** Types of staging-replaces.mjs (a plain script, so that Go-only users can run it with node). */
export declare const KUBERNETES_VERSION: string;
export declare function stagingModules(goModText: string): string[];
export declare function stagingVersion(kubernetesVersion: string): string;
export declare function replaceBlock(modules: readonly string[], version: string): string;
export declare function withReplaceBlock(goMod: string, block: string): string;
