// What a person did in the browser, turned into what Slack reports: the element they used (found in the
// blocks the bot actually sent, so nothing can be clicked that the bot did not offer) with its choice, and
// a modal's inputs as `view.state.values`. Required inputs left empty are refused here, before anything
// is sent, as Slack's own client does.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The browser's choice: a button press, or the value(s) picked in a menu, date or user picker. */
export type Choice = string | string[] | null;

export class InteractionError extends Error {}

interface Located {
  element: Json;
  blockId: string;
}

/** Slack gives blocks without an id one of its own; the index keeps it stable within one message. */
const blockIdOf = (block: Json, index: number): string =>
  typeof block.block_id === 'string' ? block.block_id : `b${index}`;

/** The interactive element with this action_id (in an actions block or as a section accessory). */
export function findElement(blocks: unknown, actionId: string): Located | null {
  if (!Array.isArray(blocks)) return null;
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block)) continue;
    const candidates = [...(Array.isArray(block.elements) ? block.elements : []), block.accessory];
    const element = candidates.find((e): e is Json => isObject(e) && e.action_id === actionId);
    if (element) return { element, blockId: blockIdOf(block, index) };
  }
  return null;
}

function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.flatMap((g) => (isObject(g) && Array.isArray(g.options) ? g.options : []))
    : [];
  return [...direct, ...grouped].filter(isObject);
}

function option(element: Json, value: string): Json {
  const found = optionsOf(element).find((o) => o.value === value);
  if (!found) throw new InteractionError(`"${value}" is not one of the choices offered`);
  return found;
}

const single = (choice: Choice): string | null => (Array.isArray(choice) ? (choice[0] ?? null) : choice);
const many = (choice: Choice): string[] => (Array.isArray(choice) ? choice : choice ? [choice] : []);

/** The element's part of a block_actions `actions[]` entry: its type, label and what was chosen. */
export function actionOf(located: Located, choice: Choice): Json {
  const { element } = located;
  const base = { type: element.type, action_id: element.action_id, block_id: located.blockId };
  const value = single(choice);
  switch (element.type) {
    case 'button':
      return { ...base, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
    case 'overflow':
    case 'static_select':
    case 'radio_buttons':
      if (value === null) throw new InteractionError('nothing was chosen');
      return { ...base, selected_option: option(element, value) };
    case 'multi_static_select':
    case 'checkboxes':
      return { ...base, selected_options: many(choice).map((v) => option(element, v)) };
    case 'users_select':
      return { ...base, selected_user: value };
    case 'datepicker':
      return { ...base, selected_date: value };
    default:
      throw new InteractionError(`a ${String(element.type)} cannot be used here`);
  }
}

/** One input's entry in `view.state.values[block_id][action_id]`. */
function inputValue(element: Json, choice: Choice): Json {
  const type = element.type;
  const value = single(choice);
  switch (type) {
    case 'plain_text_input':
      return { type, value: value ? value : null };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: value ? option(element, value) : null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: many(choice).map((v) => option(element, v)) };
    case 'users_select':
      return { type, selected_user: value || null };
    case 'datepicker':
      return { type, selected_date: value || null };
    default:
      throw new InteractionError(`a ${String(type)} input cannot be filled in here`);
  }
}

const isEmpty = (choice: Choice | undefined): boolean =>
  choice === undefined || choice === null || (Array.isArray(choice) ? choice.length === 0 : choice.trim() === '');

export interface ViewState {
  values: Record<string, Record<string, Json>>;
  /** Required inputs left empty, by block_id: the modal stays open and says so. */
  missing: Record<string, string>;
}

/** Every input block of the view with what the person entered, keyed as Slack keys them. */
export function viewState(view: Json, entered: Record<string, Choice>): ViewState {
  const values: ViewState['values'] = {};
  const missing: Record<string, string> = {};
  const blocks = Array.isArray(view.blocks) ? view.blocks : [];
  for (const [index, block] of blocks.entries()) {
    if (!isObject(block) || block.type !== 'input' || !isObject(block.element)) continue;
    const blockId = blockIdOf(block, index);
    const element = block.element;
    const choice = entered[blockId] ?? null;
    if (block.optional !== true && isEmpty(choice)) missing[blockId] = 'Please complete this required field.';
    values[blockId] = { [String(element.action_id)]: inputValue(element, choice) };
  }
  return { values, missing };
}
