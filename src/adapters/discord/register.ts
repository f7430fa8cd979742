/**
 * Slash-command registration: the platform-neutral CommandData as Discord application commands,
 * with names, descriptions and options localized for `id` and English (`en-US`, `en-GB`), and the
 * bulk overwrite that installs them globally or in one guild.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType, Routes, ApplicationIntegrationType, type REST } from 'discord.js';
import type {
  APIApplicationCommandBasicOption,
  APIApplicationCommandOption,
  APIApplicationCommandSubcommandOption,
  LocalizationMap,
  RESTPutAPIApplicationCommandsJSONBody,
  RESTPutAPIApplicationCommandsResult,
} from 'discord.js';
import type { Command, CommandOption, LocalizedText } from '../../../commands/index.js';

type CommandBody = RESTPutAPIApplicationCommandsJSONBody[number];

/**
 * Localized names of options and subcommands (Discord always sends the base name back). Command
 * names stay as they are (/berita, /digest, /help): they are the product's words in every locale.
 */
const NAME_LOCALIZATIONS: Readonly<Record<string, { id?: string; en?: string }>> = {
  masukan: { en: 'input' },
  subscribe: { id: 'langganan' },
  unsubscribe: { id: 'berhenti' },
  status: {},
  preview: { id: 'pratinjau' },
  time: { id: 'jam' },
  timezone: { id: 'zona_waktu' },
  topics: { id: 'topik' },
};

/** Discord's rule for command and option names (lowercase where the script has case). */
const NAME_PATTERN = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const DESCRIPTION_MAX = 100;

function checkName(name: string): string {
  if (!NAME_PATTERN.test(name) || name !== name.toLowerCase()) throw new Error(`"${name}" is not a valid Discord command or option name`);
  return name;
}

function description(text: string): string {
  const t = text.trim();
  return t.length <= DESCRIPTION_MAX ? t : `${t.slice(0, DESCRIPTION_MAX - 1)}…`;
}

function descriptionLocalizations(text: LocalizedText): LocalizationMap {
  return { id: description(text.id), 'en-US': description(text.en), 'en-GB': description(text.en) };
}

function nameLocalizations(name: string): LocalizationMap | undefined {
  const l = NAME_LOCALIZATIONS[name];
  if (l === undefined || (l.id === undefined && l.en === undefined)) return undefined;
  const id = checkName(l.id ?? name);
  const en = checkName(l.en ?? name);
  return { id, 'en-US': en, 'en-GB': en };
}

function option(o: CommandOption): APIApplicationCommandBasicOption {
  const names = nameLocalizations(o.name);
  return {
    type: ApplicationCommandOptionType.String,
    name: checkName(o.name),
    ...(names !== undefined ? { name_localizations: names } : {}),
    // The base text is Indonesian: Ringkas speaks Indonesian unless asked otherwise.
    description: description(o.description.id),
    description_localizations: descriptionLocalizations(o.description),
    required: o.required,
    ...(o.maxLength !== undefined ? { max_length: Math.min(Math.max(o.maxLength, 1), 6000) } : {}),
  };
}

/** Required options first, as Discord demands. */
function ordered<T extends { required?: boolean }>(list: T[]): T[] {
  return [...list.filter((o) => o.required === true), ...list.filter((o) => o.required !== true)];
}

/** One command as Discord's application-command JSON. */
export function toApplicationCommand(command: Command): CommandBody {
  const { data } = command;
  const names = nameLocalizations(data.name);
  let options: APIApplicationCommandOption[];
  if (data.subcommands !== undefined && data.subcommands.length > 0) {
    options = data.subcommands.map((s): APIApplicationCommandSubcommandOption => {
      const subNames = nameLocalizations(s.name);
      return {
        type: ApplicationCommandOptionType.Subcommand,
        name: checkName(s.name),
        ...(subNames !== undefined ? { name_localizations: subNames } : {}),
        description: description(s.description.id),
        description_localizations: descriptionLocalizations(s.description),
        options: ordered(s.options.map(option)),
      };
    });
  } else {
    options = ordered(data.options.map(option));
  }
  return {
    type: ApplicationCommandType.ChatInput,
    name: checkName(data.name),
    ...(names !== undefined ? { name_localizations: names } : {}),
    description: description(data.description.id),
    description_localizations: descriptionLocalizations(data.description),
    options,
    contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
}

/** Every command, in a stable order (by name). */
export function toApplicationCommands(commands: Iterable<Command>): RESTPutAPIApplicationCommandsJSONBody {
  return [...commands].sort((a, b) => a.data.name.localeCompare(b.data.name)).map(toApplicationCommand);
}

export interface RegisterTarget {
  applicationId: string;
  /** Register in this guild only (instant, for development); global otherwise. */
  guildId?: string | undefined;
}

/** Installs exactly these commands (a bulk overwrite: commands no longer defined disappear). */
export async function registerCommands(rest: REST, target: RegisterTarget, commands: Iterable<Command>): Promise<RESTPutAPIApplicationCommandsResult> {
  const body = toApplicationCommands(commands);
  const route = target.guildId !== undefined ? Routes.applicationGuildCommands(target.applicationId, target.guildId) : Routes.applicationCommands(target.applicationId);
  return (await rest.put(route, { body })) as RESTPutAPIApplicationCommandsResult;
}
