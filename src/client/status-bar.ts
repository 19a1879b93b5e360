/** The single status bar item: the cluster connection at a glance, clickable to change it. */
import { StatusBarAlignment, ThemeColor, window, type StatusBarItem } from 'vscode';
import { Commands } from '../shared/ids';
import type { ClusterStatus } from '../shared/protocol';
import { Disposable } from './util/lifecycle';

/** Owns the status bar item and renders a {@link ClusterStatus} into it. */
export class StatusBar extends Disposable {
  private readonly item: StatusBarItem;

  /** Creates the item (hidden until {@link update} runs). */
  constructor() {
    super();
    this.item = this._register(window.createStatusBarItem('kubeForecast.cluster', StatusBarAlignment.Left, 10));
    this.item.name = 'Kube Forecast';
  }

  /** Shows `status`. */
  update(status: ClusterStatus): void {
    const item = this.item;
    item.backgroundColor = undefined;
    switch (status.state) {
      case 'connected':
        item.text = `$(cloud) ${status.label ?? status.context ?? status.source}${
          status.namespaces !== undefined && status.namespaces.length > 0
            ? ` · ${status.namespaces.join(', ')}`
            : ' · all namespaces'
        }`;
        item.command = Commands.chooseContext;
        break;
      case 'connecting':
        item.text = '$(sync~spin) Kube Forecast';
        item.command = Commands.showOutput;
        break;
      case 'error':
        item.text = `$(warning) ${status.label ?? status.context ?? 'Kube Forecast'}`;
        item.backgroundColor = new ThemeColor('statusBarItem.warningBackground');
        item.command = Commands.showOutput;
        break;
      case 'none':
        item.text = '$(debug-disconnect) No cluster';
        item.command = Commands.openSimulatedCluster;
        break;
    }
    item.tooltip = status.message ?? `Kube Forecast: ${status.state}`;
    item.show();
  }
}
