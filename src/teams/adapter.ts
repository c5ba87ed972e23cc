import { TeamsAdapter } from '@microsoft/teams-ai';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import type { TeamsConfig } from '../config.ts';
import type { ConnectorHttpClient } from './connector-http.ts';

// One place that turns our Teams configuration into botbuilder's: with an app id, inbound requests
// must carry a valid Bot Framework JWT and outbound calls are signed; with an empty app id (anonymous
// local development only) botbuilder checks nothing and signs nothing.

/** The Bot Framework's public cloud, spelled out for when one of its endpoints is replaced. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

export type BotFrameworkSettings = Record<string, string>;

/** botbuilder's settings for this bot; the inbound check and the adapter use the same ones. */
export function botFrameworkSettings(config: TeamsConfig): BotFrameworkSettings {
  if (!config.appId) return { MicrosoftAppId: '' };
  // botbuilder uses its public-cloud defaults unless any endpoint is named, and then expects all of them.
  const endpoints = config.openIdMetadataUrl
    ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl }
    : {};
  return {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
    ...endpoints,
  };
}

export function createCredentialsFactory(settings: BotFrameworkSettings): ConfigurationServiceClientCredentialFactory {
  return new ConfigurationServiceClientCredentialFactory(settings);
}

export function createAdapter(config: TeamsConfig, httpClient?: ConnectorHttpClient): TeamsAdapter {
  // botbuilder insists on an app id for the SingleTenant type, so anonymous mode names no type.
  const settings = botFrameworkSettings(config);
  return new TeamsAdapter(
    settings,
    createCredentialsFactory(settings),
    undefined,
    httpClient ? { httpClient } : undefined,
  );
}
