// What the plays say, in French and English: the server sends these words and the dashboard
// previews them, so they are checked once here.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { birthdayMessage, campaignSubject, givingSentence, launchSentence, winBackMessage } from '../../common/campaign-text.ts';

/** Intl writes money with no-break spaces ("5,00 €"): compared with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const stamps = (amount: number) => ({ kind: 'bonus' as const, amount: { unit: 'stamps' as const, amount, currency: 'EUR' } });

describe('campaign texts', () => {
  test('birthday: the gift in words, agreed in French; a named reward; the owner’s words with {name}', () => {
    assert.equal(
      birthdayMessage('fr', { name: 'Camille Martin', gift: stamps(1), message: null }),
      'Joyeux anniversaire, Camille ! 1 tampon offert sur votre carte.',
    );
    assert.equal(
      birthdayMessage('fr', { name: 'Camille', gift: stamps(3), message: null }),
      'Joyeux anniversaire, Camille ! 3 tampons offerts sur votre carte.',
    );
    assert.equal(
      birthdayMessage('en', { name: 'Sam', gift: stamps(1), message: null }),
      'Happy birthday, Sam! 1 stamp added to your card.',
    );
    assert.equal(
      plain(
        birthdayMessage('fr', {
          name: 'Lou',
          gift: { kind: 'bonus', amount: { unit: 'cashback', amount: 500, currency: 'EUR' } },
          message: null,
        }),
      ),
      'Joyeux anniversaire, Lou ! 5,00 € offerts sur votre carte.',
    );
    assert.equal(
      birthdayMessage('en', { name: 'Lou', gift: { kind: 'reward', name: 'A croissant' }, message: null }),
      'Happy birthday, Lou! A croissant for you: show your card at the counter.',
    );
    assert.equal(birthdayMessage('fr', { name: 'Inès Durand', gift: stamps(1), message: '{name}, {name} !' }), 'Inès, Inès !');
    assert.equal(campaignSubject('fr', 'birthday', 'Café Lune'), 'Café Lune vous souhaite un joyeux anniversaire');
  });

  test('win-back: ours, or the owner’s', () => {
    assert.equal(
      winBackMessage('en', { name: 'Sam Lee', shop: 'Café Lune', message: null }),
      'We miss you, Sam! Your card is waiting at Café Lune.',
    );
    assert.equal(winBackMessage('fr', { name: 'Léa', shop: 'Café Lune', message: 'À bientôt {name}' }), 'À bientôt Léa');
    assert.equal(campaignSubject('en', 'win_back', 'Café Lune'), 'Café Lune misses you');
  });

  test('launch: the last day it runs, in the shop’s time zone (an end at midnight is the evening before)', () => {
    const amount = { unit: 'stamps' as const, amount: 2, currency: 'EUR' };
    assert.equal(
      launchSentence('fr', { amount, endsAt: '2027-03-07T23:00:00.000Z', timeZone: 'Europe/Paris' }),
      'Offre de lancement : 2 tampons en plus pour toute inscription jusqu’au 7 mars',
    );
    assert.equal(
      launchSentence('en', { amount, endsAt: '2027-03-07T23:00:00.000Z', timeZone: 'America/Montreal' }),
      'Launch offer: 2 stamps extra when you join by March 7',
    );
  });

  test('giving back: the total, in the currency', () => {
    assert.equal(
      plain(givingSentence('fr', { amountMinor: 31200, currency: 'EUR', cause: 'la Banque alimentaire' })),
      'Ensemble nous avons donné 312,00 € à la Banque alimentaire',
    );
  });
});
