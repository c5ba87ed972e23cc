import { buildRegistry, type CommandModule, type Registry } from '../src/chat/command.ts';
import { activateModule } from './activate.ts';
import { addModule } from './add.ts';
import { approvals } from './approvals.ts';
import { assetModule } from './asset.ts';
import { dueModule } from './due.ts';
import { evidenceModule } from './evidence.ts';
import { findingActions } from './finding-actions.ts';
import { findingClosure } from './finding-closure.ts';
import { findingsModule } from './findings.ts';
import { helpModule } from './help.ts';
import { home } from './home.ts';
import { incidentModule } from './incident.ts';
import { incidentsModule } from './incidents.ts';
import { listModule } from './list.ts';
import { myWorkModule } from './my-work.ts';
import { offboardModule } from './offboard.ts';
import { ownerModule } from './owner.ts';
import { pinModule } from './pin.ts';
import { postureModule } from './posture.ts';
import { reassess } from './reassess.ts';
import { requestModule } from './request.ts';
import { reviewModule } from './review.ts';
import { roleModule } from './role.ts';
import { signalModule } from './signal.ts';
import { subscribeModule, unsubscribeModule } from './subscribe.ts';

// The registry: an explicit list, in the order help shows it (looking things up first, then
// changing them, then administration). The Slack manifest's usage hint is checked against it.

export const modules: CommandModule[] = [
  myWorkModule,
  postureModule,
  listModule,
  dueModule,
  findingsModule,
  findingActions,
  approvals,
  reassess,
  addModule,
  ownerModule,
  evidenceModule,
  signalModule,
  assetModule,
  subscribeModule,
  unsubscribeModule,
  roleModule,
  findingClosure,
  incidentModule,
  incidentsModule,
  requestModule,
  reviewModule,
  activateModule,
  offboardModule,
  pinModule,
];

export const registry: Registry = buildRegistry([...modules, helpModule(() => registry.commands)], home);
