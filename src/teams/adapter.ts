import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsConfig } from '../config.ts';
import type { ConnectorHttpClient } from './connector-http.ts';

// One place that turns our Teams configuration into botbuilder's: with an app id, inbound requests
// must carry a valid Bot Framework JWT and outbound calls are signed; with an empty app id (anonymous
// local development only) botbuilder checks nothing and signs nothing.

export function createAdapter(config: TeamsConfig, httpClient?: ConnectorHttpClient): TeamsAdapter {
  // botbuilder insists on an app id for the SingleTenant type, so anonymous mode names no type.
  const settings = config.appId
    ? {
        MicrosoftAppId: config.appId,
        MicrosoftAppPassword: config.appPassword,
        MicrosoftAppType: config.appType,
        ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
      }
    : { MicrosoftAppId: '' };
  return new TeamsAdapter(
    settings,
    new ConfigurationServiceClientCredentialFactory(settings),
    undefined,
    httpClient ? { httpClient } : undefined,
  );
}
