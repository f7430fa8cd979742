/**
 * `npm run deploy-commands`: installs the slash commands without starting the bot (REST only, no
 * gateway). Global, or in DISCORD_GUILD_ID when set (instant; global commands can take a while to
 * show in every client). Needs DISCORD_TOKEN; DISCORD_APPLICATION_ID is looked up when unset.
 *
 * Run as `node dist/src/adapters/discord/deploy.js` (after `npm run build`), or call deployCommands.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { REST, Routes, type RESTGetCurrentApplicationResult } from 'discord.js';
import { loadCommands, type Command } from '../../../commands/index.js';
import { loadConfig, type Config } from '../../config.js';
import { createLogger, type Logger } from '../../logger.js';
import { registerCommands } from './register.js';

export interface DeployResult {
  scope: 'global' | 'guild';
  guildId?: string;
  applicationId: string;
  /** Names of the commands now installed. */
  names: string[];
}

export interface DeployOptions {
  config: Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_GUILD_ID' | 'DISCORD_API_URL'>;
  commands?: Map<string, Command>;
  logger?: Logger;
  /** A REST client to use (tests); one is made from the config otherwise. */
  rest?: REST;
}

export async function deployCommands(opts: DeployOptions): Promise<DeployResult> {
  const { config } = opts;
  if (config.DISCORD_TOKEN === undefined) throw new Error('DISCORD_TOKEN is not set: it is needed to register the slash commands');
  const api = config.DISCORD_API_URL?.replace(/\/+$/, '');
  const rest = opts.rest ?? new REST({ ...(api !== undefined ? { api } : {}) }).setToken(config.DISCORD_TOKEN);
  try {
    const applicationId = config.DISCORD_APPLICATION_ID ?? ((await rest.get(Routes.currentApplication())) as RESTGetCurrentApplicationResult).id;
    const guildId = config.DISCORD_GUILD_ID;
    const installed = await registerCommands(rest, { applicationId, guildId }, (opts.commands ?? loadCommands()).values());
    const result: DeployResult = {
      scope: guildId !== undefined ? 'guild' : 'global',
      ...(guildId !== undefined ? { guildId } : {}),
      applicationId,
      names: installed.map((c) => c.name),
    };
    opts.logger?.info(result, 'slash commands deployed');
    return result;
  } finally {
    if (opts.rest === undefined) {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    }
  }
}

/** The command line: prints what was installed; exit code 1 with one line on failure. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<number> {
  try {
    const config = loadConfig(env);
    const logger = createLogger({ level: config.LOG_LEVEL });
    const r = await deployCommands({ config, logger });
    process.stdout.write(`Registered ${r.names.map((n) => `/${n}`).join(', ')} ${r.scope === 'guild' ? `in guild ${r.guildId ?? ''}` : 'globally'} for application ${r.applicationId}.\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`deploy-commands: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  process.exitCode = await main();
}
