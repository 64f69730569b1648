/**
 * "删除我的信息" / "delete my data" (DOMAIN §5, PIPL): a customer asks to erase their personal data.
 * Answered in private chats from any state; the erase flow (flows/erase.ts) asks to confirm.
 */
import type { Command } from '../command.ts';
import { askErase } from '../flows/erase.ts';

const ZH = /^\s*(?:请|麻烦)?(?:帮我|给我)?(?:删除|删掉|清除)(?:我的)?(?:全部|所有)?(?:个人)?(?:信息|数据|资料)(?:吧|了)?\s*[。.!！]?\s*$/;
const EN = /^\s*(?:please\s+)?(?:delete|erase|remove)\s+(?:all\s+)?my\s+(?:personal\s+)?(?:data|information|info|details)(?:\s+please)?\s*[.!]?\s*$/i;

export const eraseCommand: Command = {
  name: 'erase',
  matches: (text) => ZH.test(text) || EN.test(text),
  handle: (turn) => askErase(turn),
  // A customer's matter: never answered in a staff room.
  allowedInStaffRoom: false,
};
