import type { Migration } from 'kysely';
import * as m0001 from './0001_initial.ts';
import * as m0002 from './0002_outbox_subject_index.ts';
import * as m0003 from './0003_outbox_target_index.ts';
import * as m0010 from './0010_exposure_checks.ts';
import * as m0012 from './0012_leases.ts';
import * as m0013 from './0013_security.ts';
import * as m0014 from './0014_audit_row_mac.ts';
import * as m0016 from './0016_incidents.ts';
import * as m0017 from './0017_vendor_lifecycle.ts';
import * as m0019 from './0019_outbox_thread_of.ts';
import * as m0020 from './0020_signing_pins.ts';
import * as m0021 from './0021_live_reminders.ts';
import * as m0024 from './0024_posture_schedule.ts';
import * as m0025 from './0025_inbound_inbox.ts';
import * as m0026 from './0026_home_views.ts';
import * as m0027 from './0027_owner_digests.ts';
import * as m0028 from './0028_required_evidence_fold.ts';
import * as m0029 from './0029_sweep_storage.ts';
import * as m0030 from './0030_vendor_assets_vendor.ts';

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_outbox_subject_index': m0002,
  '0003_outbox_target_index': m0003,
  '0010_exposure_checks': m0010,
  '0012_leases': m0012,
  '0013_security': m0013,
  '0014_audit_row_mac': m0014,
  '0016_incidents': m0016,
  '0017_vendor_lifecycle': m0017,
  '0019_outbox_thread_of': m0019,
  '0020_signing_pins': m0020,
  '0021_live_reminders': m0021,
  '0024_posture_schedule': m0024,
  '0025_inbound_inbox': m0025,
  '0026_home_views': m0026,
  '0027_owner_digests': m0027,
  '0028_required_evidence_fold': m0028,
  '0029_sweep_storage': m0029,
  '0030_vendor_assets_vendor': m0030,
};
