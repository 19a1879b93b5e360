/** Commands about the extension itself: Show Output and Restart Language Server. */
import type { ExtensionState } from '../state';
import { done, refuse, type CommandOutcome } from './outcome';

/** Reveals the output channel. */
export function showOutput(state: ExtensionState): CommandOutcome {
  state.log.show(true);
  return done();
}

/** Restarts the language server and reports whether it runs again. */
export async function restartLanguageServer(state: ExtensionState): Promise<CommandOutcome> {
  if (await state.restartLanguageServer()) return done('The language server restarted.');
  return refuse('Kube Forecast: the language server could not start; see the output.', 'error');
}
