import { localize } from '../../common/localize.ts';

/** The strings of the program editor, its reward cost check and the pass designer: English, then French. */
const table = {
  // The form both screens share
  notOwner: [
    'Only the owner of the business can change the program.',
    'Seul le responsable de l’établissement peut modifier le programme.',
  ],
  save: ['Save', 'Enregistrer'],
  saving: ['Saving…', 'Enregistrement…'],
  saved: ['Saved — every pass is being updated.', 'Enregistré — toutes les cartes sont en cours de mise à jour.'],
  unsaved: ['You have unsaved changes.', 'Vous avez des modifications non enregistrées.'],
  fixFields: [
    (n: number) => (n === 1 ? 'One field needs a change before saving:' : `${n} fields need a change before saving:`),
    (n: number) => (n === 1 ? 'Un champ est à corriger avant d’enregistrer :' : `${n} champs sont à corriger avant d’enregistrer :`),
  ],
  notSaved: ['Not saved: ', 'Non enregistré : '],
  wholeNumber: ['Enter a whole number, like 10.', 'Saisissez un nombre entier, comme 10.'],
  number: ['Enter a number, like 1.5.', 'Saisissez un nombre, comme 1,5.'],
  moneyFormat: [(example: string) => `Enter an amount like ${example}.`, (example: string) => `Saisissez un montant comme ${example}.`],

  // The program editor
  programTitle: ['Your loyalty program', 'Votre programme de fidélité'],
  programIntro: [
    'Changes reach every customer’s pass as soon as you save.',
    'Les modifications s’appliquent à la carte de chaque client dès l’enregistrement.',
  ],
  name: ['Program name', 'Nom du programme'],
  nameHint: ['Shown on the passes and the website widget.', 'Affiché sur les cartes et dans le widget du site.'],
  shortName: ['Short name for Google Wallet (optional)', 'Nom court pour Google Wallet (facultatif)'],
  // `cut`: the name as Google Wallet would show it, cut at 20 characters.
  shortNameHint: [
    (cut: string) => `Google Wallet shows 20 characters of a name: yours reads “${cut}” there. A short name shows instead.`,
    (cut: string) =>
      `Google Wallet n’affiche que 20 caractères d’un nom ; le vôtre y devient « ${cut} ». Un nom court s’affiche à sa place.`,
  ],
  shortNameSet: ['Google Wallet shows it instead of the program’s name.', 'Google Wallet l’affiche à la place du nom du programme.'],
  shortNameCount: [(n: number, max: number) => `${n} / ${max} characters`, (n: number, max: number) => `${n} / ${max} caractères`],
  type: ['Kind of program', 'Type de programme'],
  types: [
    {
      stamps: { name: 'Stamps', text: 'A stamp per visit; a reward after a number of stamps.' },
      points: { name: 'Points', text: 'Points for every purchase, spent on rewards from a catalog.' },
      tiers: { name: 'Tiers', text: 'Points, earned faster as customers reach higher tiers.' },
      cashback: { name: 'Cashback', text: 'A share of every purchase goes back into the customer’s kitty.' },
    },
    {
      stamps: { name: 'Tampons', text: 'Un tampon par visite ; une récompense au bout d’un certain nombre de tampons.' },
      points: { name: 'Points', text: 'Des points à chaque achat, échangés contre les récompenses d’un catalogue.' },
      tiers: { name: 'Niveaux', text: 'Des points, gagnés plus vite à mesure que le client monte de niveau.' },
      cashback: { name: 'Cagnotte', text: 'Une part de chaque achat revient dans la cagnotte du client.' },
    },
  ],
  stampsRequired: ['Stamps for a reward', 'Tampons pour une récompense'],
  // What saving a lowered number does now (`POST /program/preview`); `shown`: n as formatted.
  rewardsOnSave: [
    (n: number, shown: string) =>
      n === 0
        ? 'No card holds that many stamps yet: saving gives no reward now.'
        : `${shown} ${n === 1 ? 'card will get its reward' : 'cards will get their reward'} when you save.`,
    (n: number, shown: string) =>
      n === 0
        ? 'Aucune carte n’a encore autant de tampons : l’enregistrement ne donne aucune récompense pour l’instant.'
        : `${shown} ${n === 1 ? 'carte recevra sa récompense' : 'cartes recevront leur récompense'} dès l’enregistrement.`,
  ],
  rewardName: ['Reward', 'Récompense'],
  rewardNameHint: ['What the customer gets, e.g. “A free coffee”.', 'Ce que le client reçoit, par ex. « Un café offert ».'],
  rewardCost: [(c: string) => `What the reward costs you (${c})`, (c: string) => `Ce que la récompense vous coûte (${c})`],
  rewardCostHint: [
    'Its cost of goods, not its price: for the cost check below.',
    'Son coût de revient, pas son prix : pour le calcul ci-dessous.',
  ],
  pointsPerUnit: [(c: string) => `Points per ${c} spent`, (c: string) => `Points par ${c} dépensé`],
  catalog: ['Rewards catalog', 'Catalogue de récompenses'],
  catalogEmpty: ['No rewards yet: add the first one.', 'Aucune récompense pour l’instant : ajoutez la première.'],
  catalogReward: [(n: number) => `Reward ${n}`, (n: number) => `Récompense ${n}`],
  catalogName: ['Name', 'Nom'],
  catalogPoints: ['Points', 'Points'],
  catalogCost: [(c: string) => `Cost to you (${c})`, (c: string) => `Coût pour vous (${c})`],
  catalogId: [(id: string) => `Code: ${id}`, (id: string) => `Code : ${id}`],
  catalogIdNew: ['The code is made from the name.', 'Le code est tiré du nom.'],
  addReward: ['Add a reward', 'Ajouter une récompense'],
  removeReward: [(name: string) => `Remove ${name}`, (name: string) => `Retirer ${name}`],
  tiers: ['Tiers', 'Niveaux'],
  tiersHint: [
    'A tier applies from a spend over the last 12 months; its multiplier multiplies the points earned.',
    'Un niveau est atteint à partir d’un montant dépensé sur les 12 derniers mois ; son multiplicateur s’applique aux points gagnés.',
  ],
  tiersEmpty: ['No tiers yet: a tiers program needs at least one.', 'Aucun niveau pour l’instant : il en faut au moins un.'],
  tier: [(n: number) => `Tier ${n}`, (n: number) => `Niveau ${n}`],
  tierName: ['Name', 'Nom'],
  tierThreshold: [(c: string) => `From a spend of (${c})`, (c: string) => `Seuil de dépense (${c})`],
  tierMultiplier: ['Points multiplier', 'Multiplicateur de points'],
  tierPerks: ['Perks (one per line)', 'Avantages (un par ligne)'],
  addTier: ['Add a tier', 'Ajouter un niveau'],
  removeTier: [(name: string) => `Remove ${name}`, (name: string) => `Retirer ${name}`],
  cashbackPercent: ['Cashback (% of each purchase)', 'Cagnotte (% de chaque achat)'],
  bonuses: ['Welcome and referrals', 'Bienvenue et parrainage'],
  signupBonus: ['Welcome bonus', 'Bonus de bienvenue'],
  referrerReward: ['For the customer who invites a friend', 'Pour le client qui parraine un ami'],
  refereeReward: ['For the invited friend', 'Pour l’ami parrainé'],
  referralCap: ['Rewarded referrals per customer in 30 days', 'Parrainages récompensés par client sur 30 jours'],
  referralCapHint: [
    'Beyond it, the friend still joins, but nobody gets the bonus. From 1 to 1,000.',
    'Au-delà, l’ami s’inscrit quand même, mais personne ne reçoit le bonus. De 1 à 1\u00a0000.',
  ],
  bonusUnit: [
    { stamps: 'In stamps. 0: none.', points: 'In points. 0: none.', cashback: 'Added to the kitty. 0: none.' },
    { stamps: 'En tampons. 0 : aucun.', points: 'En points. 0 : aucun.', cashback: 'Ajouté à la cagnotte. 0 : aucun.' },
  ],
  passesTitle: ['Passes and website', 'Cartes et site web'],
  currency: ['Currency', 'Devise'],
  currencyHint: ['Three-letter code, e.g. EUR, GBP, CHF.', 'Code à trois lettres, par ex. EUR, GBP, CHF.'],
  locale: ['Language of the passes', 'Langue des cartes'],
  locales: [
    { en: 'English', fr: 'French' },
    { en: 'Anglais', fr: 'Français' },
  ],
  origins: ['Websites allowed to show the widget (one per line)', 'Sites autorisés à afficher le widget (un par ligne)'],
  originsHint: [
    'The sign-up widget only works on these sites, e.g. https://www.my-cafe.com. Anything after the domain is ignored.',
    'Le widget d’inscription ne fonctionne que sur ces sites, par ex. https://www.mon-cafe.fr. Ce qui suit le domaine est ignoré.',
  ],
  reviewUrl: ['Google review link', 'Lien pour laisser un avis Google'],
  reviewUrlHint: ['Happy customers are invited to leave a review there.', 'Les clients satisfaits sont invités à y laisser un avis.'],
  websiteUrl: ['Your website', 'Votre site web'],
  websiteUrlHint: ['Where a friend’s invitation link leads.', 'La page où mène le lien d’invitation envoyé à un ami.'],
  address: ['Address', 'Adresse'],
  terms: ['Terms', 'Conditions'],
  backOfPass: ['Shown on the back of the passes.', 'Affiché au dos des cartes.'],
  otherLanguage: [
    (l: 'en' | 'fr') => (l === 'en' ? 'For members who read English' : 'For members who read French'),
    (l: 'en' | 'fr') => (l === 'en' ? 'Pour les membres anglophones' : 'Pour les membres francophones'),
  ],
  otherLanguageHint: [
    'Their passes show these texts instead. Left empty, they read the ones above.',
    'Leurs cartes affichent ces textes à la place. Laissés vides, ce sont ceux ci-dessus qui s’affichent.',
  ],
  rewardIn: [
    (l: 'en' | 'fr') => (l === 'en' ? 'Reward, in English' : 'Reward, in French'),
    (l: 'en' | 'fr') => (l === 'en' ? 'Récompense, en anglais' : 'Récompense, en français'),
  ],
  termsIn: [
    (l: 'en' | 'fr') => (l === 'en' ? 'Terms, in English' : 'Terms, in French'),
    (l: 'en' | 'fr') => (l === 'en' ? 'Conditions, en anglais' : 'Conditions, en français'),
  ],

  // The shops (`program.locations`)
  shops: ['Shops', 'Boutiques'],
  shopsHint: [
    'Where your shops are: an iPhone near one shows the card on its lock screen, and the counter and your figures can tell the shops apart. Up to 10.',
    'Où se trouvent vos boutiques : près de l’une d’elles, un iPhone affiche la carte sur l’écran verrouillé ; la caisse et vos chiffres distinguent les boutiques. Jusqu’à 10.',
  ],
  shopsEmpty: ['No shop yet.', 'Aucune boutique pour l’instant.'],
  shop: [(n: number) => `Shop ${n}`, (n: number) => `Boutique ${n}`],
  shopName: ['Name of the shop', 'Nom de la boutique'],
  shopAddress: ['Address (optional)', 'Adresse (facultative)'],
  latitude: ['Latitude', 'Latitude'],
  longitude: ['Longitude', 'Longitude'],
  coordinatesHint: [
    'From a map app, e.g. 48.8566 and 2.3522. South and west are negative.',
    'À relever dans une application de cartographie, par ex. 48,8566 et 2,3522. Le sud et l’ouest sont négatifs.',
  ],
  relevantText: ['Text on the lock screen nearby (optional)', 'Texte sur l’écran verrouillé à proximité (facultatif)'],
  relevantTextHint: [
    'What an iPhone shows near the shop, e.g. “Your coffee is waiting”. Up to 100 characters.',
    'Ce qu’un iPhone affiche près de la boutique, par ex. « Votre café vous attend ». Jusqu’à 100 caractères.',
  ],
  shopId: [(id: string) => `Its id: ${id}.`, (id: string) => `Son identifiant : ${id}.`],
  shopIdNew: ['Its id is given when you save.', 'Son identifiant est attribué à l’enregistrement.'],
  addShop: ['Add a shop', 'Ajouter une boutique'],
  removeShop: [(name: string) => `Remove ${name}`, (name: string) => `Retirer ${name}`],
  shopsFull: ['10 shops at most: remove one to add another.', '10 boutiques au plus : retirez-en une pour en ajouter une autre.'],
  shopNameRequired: ['Give the shop a name (100 characters at most).', 'Donnez un nom à la boutique (100 caractères au plus).'],
  badLatitude: ['Enter a latitude between -90 and 90, like 48.8566.', 'Saisissez une latitude entre -90 et 90, comme 48,8566.'],
  badLongitude: ['Enter a longitude between -180 and 180, like 2.3522.', 'Saisissez une longitude entre -180 et 180, comme 2,3522.'],

  // The reward cost check
  costTitle: ['Reward cost check', 'Coût des récompenses'],
  costIntro: [
    'What a reward costs you as a share of what a customer spends to earn it. Between 1% and 5% is usual.',
    'Ce qu’une récompense vous coûte, rapporté à ce que le client dépense pour l’obtenir. Entre 1\u00a0% et 5\u00a0%, c’est l’usage.',
  ],
  average: [(c: string) => `Average purchase (${c})`, (c: string) => `Panier moyen (${c})`],
  averageHint: ['Kept with the program, for this check only.', 'Conservé avec le programme, pour ce calcul seulement.'],
  averageFromKpis: [
    'From your figures; type another to keep it with the program.',
    'D’après vos chiffres ; saisissez-en un autre pour le conserver avec le programme.',
  ],
  needAverage: ['Enter the average purchase to see the cost.', 'Saisissez le panier moyen pour voir le coût.'],
  noPoints: [
    'Purchases earn no points: set the points per currency unit.',
    'Les achats ne rapportent aucun point : réglez les points gagnés par unité dépensée.',
  ],
  noRewards: ['Add rewards to the catalog to check their cost.', 'Ajoutez des récompenses au catalogue pour en vérifier le coût.'],
  costOf: [(name: string) => `${name}:`, (name: string) => `${name} :`],
  stampsFormula: [
    (cost: string, stamps: number, average: string, spend: string) =>
      `${cost} of cost ÷ (${stamps} stamps × ${average} average purchase = ${spend} spent)`,
    (cost: string, stamps: number, average: string, spend: string) =>
      `${cost} de coût ÷ (${stamps} tampons × ${average} de panier moyen = ${spend} dépensés)`,
  ],
  pointsFormula: [
    (cost: string, points: string, perUnit: string, spend: string) =>
      `${cost} of cost ÷ (${points} points ÷ ${perUnit} points per unit = ${spend} spent)`,
    (cost: string, points: string, perUnit: string, spend: string) =>
      `${cost} de coût ÷ (${points} points ÷ ${perUnit} points par unité = ${spend} dépensés)`,
  ],
  tiersNote: [
    'At the base rate: in a tier with a multiplier, rewards come sooner and cost more.',
    'Au taux de base : dans un niveau avec multiplicateur, les récompenses arrivent plus vite et coûtent davantage.',
  ],
  cashbackFormula: ['the cashback given back on every purchase', 'la part de chaque achat reversée dans la cagnotte'],
  costLow: [
    'Warning: below 1% — the reward may feel out of reach or not worth the effort.',
    'Attention : moins de 1\u00a0% — la récompense risque de paraître trop lointaine ou sans intérêt.',
  ],
  costHigh: [
    'Warning: above 5% — this reward may cost you more than the visits it brings.',
    'Attention : plus de 5\u00a0% — cette récompense risque de vous coûter plus que les visites qu’elle apporte.',
  ],
  costOk: ['Within the usual 1–5%.', 'Dans la fourchette habituelle de 1 à 5\u00a0%.'],

  // The pass designer
  designTitle: ['Pass design', 'Apparence de la carte'],
  designIntro: [
    'Saving re-issues every customer’s pass with the new look.',
    'L’enregistrement met à jour la carte de chaque client avec la nouvelle apparence.',
  ],
  colours: ['Colours', 'Couleurs'],
  backgroundColor: ['Background', 'Fond'],
  foregroundColor: ['Text', 'Texte'],
  labelColor: ['Labels', 'Libellés'],
  picker: [(what: string) => `${what}: pick a colour`, (what: string) => `${what} : choisir une couleur`],
  hexFormat: ['Enter a colour like #1a2b3c.', 'Saisissez une couleur comme #1a2b3c.'],
  contrastOk: [
    (text: string, labels: string) => `Easy to read: contrast ${text}:1 for the text, ${labels}:1 for the labels (4.5:1 at least).`,
    (text: string, labels: string) =>
      `Bien lisible : contraste de ${text}:1 pour le texte, ${labels}:1 pour les libellés (au moins 4,5:1).`,
  ],
  // The subject decides the verb: "the labels are", « les libellés se lisent ».
  lowContrast: [
    (what: 'text' | 'labels', ratio: string) =>
      `Warning: ${what === 'text' ? 'the text on the background is' : 'the labels on the background are'} hard to read (contrast ${ratio}:1, at least 4.5:1 advised).`,
    (what: 'text' | 'labels', ratio: string) =>
      `Attention : ${what === 'text' ? 'le texte se lit' : 'les libellés se lisent'} mal sur le fond (contraste de ${ratio}:1, au moins 4,5:1 conseillé).`,
  ],
  texts: ['Texts', 'Textes'],
  logo: ['Logo', 'Logo'],
  logoNone: ['No logo yet: the passes show a drawn stamp.', 'Pas encore de logo : les cartes affichent un tampon dessiné.'],
  logoCurrent: ['Your logo', 'Votre logo'],
  logoFile: ['Upload a logo', 'Envoyer un logo'],
  logoHint: [
    'PNG or JPEG, up to 2 MB; square works best. It replaces the logo on every pass.',
    'PNG ou JPEG, 2 Mo au plus ; un format carré rend mieux. Il remplace le logo sur chaque carte.',
  ],
  logoUploading: ['Uploading the logo…', 'Envoi du logo…'],
  logoSaved: ['Logo saved — every pass is being updated.', 'Logo enregistré — toutes les cartes sont en cours de mise à jour.'],
  logoRemoved: ['Logo removed — every pass is being updated.', 'Logo retiré — toutes les cartes sont en cours de mise à jour.'],
  removeLogo: ['Remove logo', 'Retirer le logo'],
  logoSvg: [
    'SVG logos are not accepted (they can carry scripts): upload a PNG or JPEG.',
    'Les logos SVG ne sont pas acceptés (ils peuvent contenir des scripts) : envoyez un PNG ou un JPEG.',
  ],
  logoType: [
    (type: string) => `This file (${type}) is not a PNG or JPEG image.`,
    (type: string) => `Ce fichier (${type}) n’est pas une image PNG ou JPEG.`,
  ],
  logoTooBig: [
    (size: string) => `This file is ${size}: a logo can be 2 MB at most.`,
    (size: string) => `Ce fichier fait ${size} : un logo ne peut pas dépasser 2 Mo.`,
  ],
  logoNotImage: ['The server could not read this image: ', 'Le serveur n’a pas pu lire cette image : '],
  previewTitle: ['Preview', 'Aperçu'],
  previewNote: [
    'A preview with a sample customer, Léa, at 7 stamps: the QR code is a drawing, not a real card.',
    'Un aperçu avec une cliente fictive, Léa, à 7 tampons : le QR code est un dessin, pas une vraie carte.',
  ],
  appleWallet: ['Apple Wallet', 'Apple Wallet'],
  googleWallet: ['Google Wallet', 'Google Wallet'],
  stampsLabel: ['Stamps', 'Tampons'],
  pointsLabel: ['Points', 'Points'],
  balanceLabel: ['Balance', 'Solde'],
  rewardLabel: ['Reward', 'Récompense'],
  nextRewardLabel: ['Next reward', 'Prochaine récompense'],
  memberLabel: ['Member', 'Membre'],
  sampleQr: ['Sample QR code (preview)', 'QR code fictif (aperçu)'],
};

/** The strings of one language. */
export const programMessages = localize(table);
export type ProgramMessages = ReturnType<typeof programMessages>;
