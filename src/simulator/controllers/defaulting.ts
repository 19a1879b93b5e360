/**
 * API-server defaulting and admission, shared with the language server's predictions: the code
 * lives in src/scheduler/api/defaulting.ts (pure) so that a manifest in the editor is predicted
 * exactly as the simulated cluster would admit it.
 */
export * from '../../scheduler/api/defaulting';
