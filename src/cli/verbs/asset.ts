import type { Command } from 'commander';
import { addAsset, authoriseAsset, listAssets, removeAsset } from '../../core/vendors/assets.ts';
import { findVendorByName } from '../../core/vendors/lookup.ts';
import { inTransaction } from '../../store/database.ts';
import type { AssetRow } from '../../store/tables.ts';
import { withStore } from '../context.ts';
import type { CliIO } from '../io.ts';
import { formatTable } from './table.ts';

// `asset add|authorise|remove|list`: the assets a vendor declared, and the analyst's confirmation that
// the vendor authorised checking them (--authorised-by, recorded with the time). Unconfirmed assets are
// kept but never checked.

export function assetStatus(a: AssetRow): string {
  if (!a.check_kind) return 'routing only';
  return a.authorised_at
    ? `authorised by ${a.authorised_by} ${a.authorised_at.slice(0, 16).replace('T', ' ')}Z`
    : 'not authorised: not checked';
}

export function registerAsset(program: Command, io: CliIO): void {
  const asset = program
    .command('asset')
    .description("a vendor's declared internet-facing assets, checked for exposure once authorised");
  asset
    .command('add')
    .argument('<vendor>', 'vendor name')
    .argument('<target>', 'host[:port] or URL, e.g. search.acme.example:9200 or https://portal.acme.example')
    .argument(
      '[kind]',
      'elasticsearch, opensearch, kibana, mongodb, redis, postgresql, couchdb, s3 or tls (implied by a well-known port or https://)',
    )
    .argument('[note...]', 'what it is, in a few words')
    .option('--authorised-by <name>', 'who confirmed the vendor authorised checking this asset')
    .description('declare an asset (audited); it is checked only once authorised')
    .action(
      (
        vendorName: string,
        target: string,
        kind: string | undefined,
        note: string[],
        options: { authorisedBy?: string },
      ) =>
        withStore(io, async ({ deps, actor }) => {
          const vendor = await findVendorByName(deps.db, vendorName);
          const { asset: row, created } = await inTransaction(deps.db, (tx) =>
            addAsset(tx, deps, actor, {
              vendorId: vendor.id,
              value: target,
              kind: kind ?? null,
              note: note.join(' '),
              authorisedBy: options.authorisedBy ?? null,
            }),
          );
          io.out(
            `${created ? 'declared' : 'already declared'}: ${vendor.name} ${row.value} (${row.check_kind ?? 'no check'}; ${assetStatus(row)})`,
          );
        }),
    );
  asset
    .command('authorise')
    .argument('<vendor>', 'vendor name')
    .argument('<target>', 'the asset as declared')
    .requiredOption('--authorised-by <name>', 'who confirmed the vendor authorised checking this asset')
    .description('record that the vendor authorised checks of this asset (audited)')
    .action((vendorName: string, target: string, options: { authorisedBy: string }) =>
      withStore(io, async ({ deps, actor }) => {
        const vendor = await findVendorByName(deps.db, vendorName);
        const row = await inTransaction(deps.db, (tx) =>
          authoriseAsset(tx, deps, actor, { vendorId: vendor.id, value: target, authorisedBy: options.authorisedBy }),
        );
        io.out(`authorised: ${vendor.name} ${row.value} (${assetStatus(row)})`);
      }),
    );
  asset
    .command('remove')
    .argument('<vendor>', 'vendor name')
    .argument('<target>', 'the asset as declared')
    .description('stop checking an asset; its past results are kept (audited)')
    .action((vendorName: string, target: string) =>
      withStore(io, async ({ deps, actor }) => {
        const vendor = await findVendorByName(deps.db, vendorName);
        const row = await inTransaction(deps.db, (tx) =>
          removeAsset(tx, deps, actor, { vendorId: vendor.id, value: target }),
        );
        io.out(`removed: ${vendor.name} ${row.value}`);
      }),
    );
  asset
    .command('list')
    .argument('<vendor>', 'vendor name')
    .description("a vendor's declared assets and whether each is authorised for checks")
    .action((vendorName: string) =>
      withStore(io, async ({ deps }) => {
        const vendor = await findVendorByName(deps.db, vendorName);
        const rows = await listAssets(deps.db, vendor.id);
        if (rows.length === 0) {
          io.out(`${vendor.name} has no declared assets`);
          return;
        }
        io.out(
          formatTable(
            ['TARGET', 'CHECK', 'STATUS', 'NOTE'],
            rows.map((a) => [a.value, a.check_kind ?? '', assetStatus(a), a.note ?? '']),
          ),
        );
      }),
    );
}
