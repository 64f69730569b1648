/**
 * The help menu and the price list (DOMAIN §1: price shown before commitment). The menu lists only
 * what works; asking for a person opens a handover (flows/handover.ts).
 */
import { formatPrice } from '../../i18n/index.ts';
import { menuRows } from '../../features/handover/messages.ts';
import { startHandover } from './handover.ts';
import type { Outbound } from '../../contracts/messages.ts';
import { IDLE } from '../../contracts/state.ts';
import { addressAs, findService, serviceLabel, type Turn } from '../turn.ts';
import type { ActionHandlers } from '../flow.ts';
import { serviceButtons, startBooking } from './booking.ts';
import { startComplaint } from './complaint.ts';
import { listBookings, startCancel, startReschedule } from './manage.ts';

/** The greeting with every menu item as a button. */
export function menu(turn: Turn, lead?: string): Outbound {
  const { m } = turn;
  const greeting = m.greeting({ company: turn.locale === 'en' ? turn.company.nameEn : turn.company.name, who: addressAs(turn, turn.customer) });
  return {
    text: [lead, greeting, m.menuHint].filter(Boolean).join('\n'),
    buttons: menuRows(m),
  };
}

/** The whole price list, or one service's price, unit, content and lead time. */
export function prices(turn: Turn, serviceCode?: string): Outbound {
  const { m, locale } = turn;
  const service = findService(turn, serviceCode);
  if (service) {
    return {
      text: m.serviceDetail({
        name: serviceLabel(turn, service),
        price: formatPrice(service.price),
        unit: locale === 'en' ? service.unitEn : service.unit,
        includes: (locale === 'en' ? service.includesEn : service.includes).join(m.listSeparator),
        leadDays: service.leadDays,
      }),
      buttons: [[{ label: m.bookThis, action: `svc:${service.code}` }]],
    };
  }
  const lines = turn.company.catalog.map((s) =>
    m.priceLine({ name: serviceLabel(turn, s), price: formatPrice(s.price), unit: locale === 'en' ? s.unitEn : s.unit }),
  );
  return { text: [m.priceListTitle, ...lines, m.priceListFooter].join('\n'), buttons: serviceButtons(turn, 'info') };
}

/**
 * The clarifying question (issue #12): when the classifier is unsure, one short question with the
 * four things people most often want, instead of a guess. One tap costs less than a wrong flow.
 */
export function clarify(turn: Turn): Outbound {
  const { m } = turn;
  return {
    text: m.clarify,
    buttons: [
      [{ label: m.clarifyBook, action: 'menu:book' }, { label: m.clarifyComplain, action: 'menu:complain' }],
      [{ label: m.clarifyBookings, action: 'menu:bookings' }, { label: m.clarifyHuman, action: 'menu:human' }],
    ],
  };
}

/** `lead` (a photo was received that the bot cannot read) with 转人工 and 反映问题 (issue #15 must 3). */
export function mediaAnswer(turn: Turn, lead: string): Outbound {
  const { m } = turn;
  return { text: lead, buttons: [[{ label: m.clarifyHuman, action: 'menu:human' }, { label: m.clarifyComplain, action: 'menu:complain' }]] };
}

/** The menu's buttons and the price list's: they mean the same from any state. */
export const menuButtons: ActionHandlers = {
  menu: (turn, state, action) => {
    switch (action.item) {
      case 'home':
        return { state: IDLE, replies: [menu(turn)] };
      case 'book':
        return startBooking(turn, {});
      case 'price':
        return { state, replies: [prices(turn)] };
      case 'bookings':
        return listBookings(turn);
      case 'cancel':
        return startCancel(turn, {});
      case 'reschedule':
        return startReschedule(turn, {});
      case 'complain':
        return startComplaint(turn, {});
      case 'human':
        return startHandover(turn, { reason: 'asked' });
    }
  },
  info: (turn, state, action) => ({ state, replies: [prices(turn, action.code)] }),
};
