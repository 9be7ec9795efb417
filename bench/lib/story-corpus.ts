// A generated day of matched articles for the digest benchmark and the scale test: multi-outlet stories in five
// languages (en, de, fr, es, uk) — a wire original, verbatim syndicated copies with a credit line, and rewrites by other
// outlets with a paraphrased headline and lead and their own body — plus singletons. Every article carries the label
// of the story it was generated from, so cluster quality can be scored. Seeded: the same arguments give the same set.
import type { DigestEntry } from '../../src/model.js';
import { rng } from './corpus.js';

export interface LabelledEntry extends DigestEntry {
  /** The generated story this article reports. */
  story: string;
}

interface Lang {
  outlets: string[];
  places: string[];
  actors: string[];
  /** Syllables and endings of generated place names: most stories happen somewhere with a name of its own. */
  toponym: [string[], string[]];
  /** Titles of people who act in generated stories (with a generated surname), and surname endings. */
  people: [string[], string[]];
  /** Words for body sentences: rare enough that two unrelated bodies share few four-word runs. */
  words: string[];
  credit: string;
  /** Headline and lead paraphrases of one kind of event: {P} place, {A} actor, {N} number. */
  events: { titles: string[]; leads: string[] }[];
}

const LANGS: Record<string, Lang> = {
  en: {
    people: [['Governor','Mayor','Minister','Prosecutor'], ['enko','uk','ych','ska']],
    toponym: [['Kra','Pok','Vol','Hor','Myr','Bil','Zol','Kup','Sta','Nov','Lyu','Tor','Sel','Pis','Ver','Khol','Dru','Lan','Bor','Ost'], ['ivka','ovsk','iansk','yne','ove','ivske','ets','ohrad','ychi','any']],
    outlets: ['Reuters', 'AP', 'BBC News', 'The Guardian', 'US News', 'Bloomberg', 'Al Jazeera', 'The Independent', 'CNN', 'Financial Times', 'Politico Europe', 'Euronews'],
    places: ['Kharkiv', 'Odesa', 'Lviv', 'Brussels', 'Warsaw', 'Vilnius', 'Dnipro', 'Zaporizhzhia', 'Berlin', 'Paris', 'Geneva', 'Istanbul', 'Riga', 'Tallinn', 'Bucharest', 'Chisinau', 'Sumy', 'Poltava', 'Mykolaiv', 'Kherson'],
    actors: ['Ukrenergo', 'Naftogaz', 'the European Commission', 'NATO', 'the IMF', 'the World Bank', 'Gazprom', 'Euroclear', 'the ECB', 'the UN nuclear watchdog', 'Siemens Energy', 'DTEK', 'the G7', 'the Red Cross'],
    words: 'officials engineers substation repairs overnight capacity regional operator convoy turbine reserves pipeline shelter schedule winter outages generators municipal emergency analysts deputies ministry lenders tranche bonds auditors inspectors reactor cooling diesel transformers batteries heating frontline evacuation volunteers shipments corridor insurers tariffs exporters grain port harbour drones missiles interceptors radar warehouse contractors procurement budget deficit coalition parliamentary hearing inquiry verdict appeal prosecutors sanctions assets custodian windfall loan guarantees'.split(' '),
    credit: '(Reporting by {S} staff; editing by desk)',
    events: [
      { titles: ['{A} restores power in {P} after overnight drone attack', 'Power back in {P} as {A} repairs grid after drone strike', '{A} says electricity restored in {P} following drone attack'],
        leads: ['{A} said on Tuesday it had restored electricity to {N},000 households in {P} after a drone attack overnight damaged a substation.', 'Electricity returned to {N},000 homes in {P} on Tuesday, {A} said, hours after drones hit a substation in the region.'] },
      { titles: ['{A} approves {N} million euro loan for {P} energy repairs', '{P} gets {N} million euros from {A} to repair energy network', '{A} signs off {N} million euro credit to fix {P} power grid'],
        leads: ['{A} approved a {N} million euro loan on Wednesday to repair power plants and substations around {P}, officials said.', 'The board of {A} signed off {N} million euros for energy repairs in {P}, according to a statement on Wednesday.'] },
      { titles: ['Missile strike on {P} kills {N}, damages heating plant', '{N} killed as missiles hit heating plant in {P}', 'Russian missiles kill {N} in {P}, heating plant damaged'],
        leads: ['A Russian missile strike on {P} killed {N} people and damaged a combined heat and power plant, local authorities said on Thursday.', 'At least {N} people were killed when missiles struck {P} overnight, hitting a heating plant, the regional governor said.'] },
      { titles: ['{A} warns of gas shortfall in {P} this winter', 'Gas supplies to {P} may fall short this winter, {A} warns', '{A} flags winter gas deficit for {P}'],
        leads: ['{A} warned on Friday that gas storage serving {P} was {N} percent below target and that shortages were possible in a cold winter.', 'Storage levels for {P} are {N} percent short of plan, {A} said, warning of a possible gas deficit this winter.'] },
      { titles: ['{A} inspectors visit {P} nuclear plant after power line cut', 'Power line to {P} nuclear plant cut again, {A} says', '{A} team at {P} nuclear station after external power lost'],
        leads: ['{A} said its inspectors arrived at the {P} nuclear plant on Monday after the last external power line was cut for the {N}th time.', 'The {P} nuclear station lost its external power line for the {N}th time, {A} said, sending inspectors to the site.'] },
      { titles: ['{A} fines {P} traders over price caps', 'Traders in {P} fined by {A} for breaching energy price caps', '{A} hands {P} energy traders fines for price cap breaches'],
        leads: ['{A} fined {N} energy traders in {P} for selling above the regulated price cap, the regulator said in a statement.', '{N} traders in {P} breached energy price caps and were fined, {A} announced on Monday.'] },
    ],
  },
  de: {
    people: [['Gouverneur','Bürgermeister','Minister','Staatsanwalt'], ['enko','uk','ytsch','ska']],
    toponym: [['Kra','Pok','Wol','Hor','Myr','Bil','Solo','Kup','Sta','Now','Lju','Tor','Sel','Pis','Wer','Chol','Dru','Lan','Bor','Ost'], ['iwka','owsk','jansk','yne','owe','iwske','ez','ohrad','ytschi','any']],
    outlets: ['dpa', 'Der Spiegel', 'tagesschau.de', 'Süddeutsche Zeitung', 'FAZ', 'Die Zeit', 'Handelsblatt', 'Deutsche Welle', 'ntv'],
    places: ['Kiew', 'Charkiw', 'Odessa', 'Lwiw', 'Berlin', 'München', 'Hamburg', 'Brüssel', 'Warschau', 'Dnipro', 'Saporischschja', 'Wien', 'Leipzig', 'Rostock'],
    actors: ['Ukrenergo', 'die Bundesnetzagentur', 'die EU-Kommission', 'die Nato', 'die Bundesregierung', 'Uniper', 'RWE', 'die KfW', 'die Internationale Atomenergiebehörde', 'Siemens Energy'],
    words: 'Behörden Techniker Umspannwerk Reparaturen nachts Kapazität Netzbetreiber Konvoi Turbine Reserven Pipeline Schutzraum Zeitplan Winter Ausfälle Generatoren kommunal Notfall Analysten Abgeordnete Ministerium Kreditgeber Tranche Anleihen Prüfer Reaktor Kühlung Diesel Transformatoren Batterien Heizung Front Evakuierung Freiwillige Lieferungen Korridor Versicherer Zölle Exporteure Getreide Hafen Drohnen Raketen Abfangjäger Radar Lager Auftragnehmer Beschaffung Haushalt Defizit Koalition Anhörung Untersuchung Urteil Berufung Staatsanwälte Sanktionen Vermögen Verwahrer Kredit Garantien'.split(' '),
    credit: '(Bericht: {S}, Redaktion: Nachrichtendesk)',
    events: [
      { titles: ['{A} stellt Strom in {P} nach Drohnenangriff wieder her', 'Nach Drohnenangriff: Strom in {P} wieder da, meldet {A}', 'Strom in {P} nach nächtlichem Drohnenangriff laut {A} zurück'],
        leads: ['{A} hat nach eigenen Angaben die Stromversorgung für {N}.000 Haushalte in {P} wiederhergestellt, nachdem Drohnen ein Umspannwerk beschädigt hatten.', 'In {P} haben {N}.000 Haushalte wieder Strom, teilte {A} am Dienstag mit, Stunden nach einem Drohnenangriff auf ein Umspannwerk.'] },
      { titles: ['{A} warnt vor Gasmangel in {P} im Winter', 'Gasmangel in {P}: {A} warnt vor knappen Vorräten im Winter', 'Winter in {P}: {A} befürchtet Gasmangel'],
        leads: ['{A} warnte am Freitag, die Gasspeicher für {P} lägen {N} Prozent unter dem Ziel, bei Kälte drohe ein Mangel.', 'Die Speicher für {P} sind laut {A} zu {N} Prozent unter Plan, im Winter könne Gas knapp werden.'] },
      { titles: ['{A} genehmigt {N} Millionen Euro für Energienetz in {P}', '{N} Millionen Euro von {A} für Reparatur des Netzes in {P}', 'Energienetz in {P}: {A} gibt {N} Millionen Euro frei'],
        leads: ['{A} hat am Mittwoch {N} Millionen Euro für die Reparatur von Kraftwerken und Umspannwerken rund um {P} genehmigt.', 'Für Reparaturen am Energienetz in {P} gibt {A} {N} Millionen Euro frei, hieß es am Mittwoch.'] },
      { titles: ['Raketenangriff auf {P}: {N} Tote, Heizkraftwerk beschädigt', '{N} Tote bei Raketenangriff auf Heizkraftwerk in {P}', 'Russische Raketen töten {N} Menschen in {P}'],
        leads: ['Bei einem russischen Raketenangriff auf {P} sind {N} Menschen getötet und ein Heizkraftwerk beschädigt worden, teilten die Behörden mit.', 'Mindestens {N} Menschen starben, als Raketen in der Nacht ein Heizkraftwerk in {P} trafen, sagte der Gouverneur.'] },
    ],
  },
  fr: {
    people: [['Le gouverneur','Le maire','Le ministre','Le procureur'], ['enko','ouk','itch','ska']],
    toponym: [['Kra','Pok','Vol','Hor','Myr','Bil','Zol','Kup','Sta','Nov','Liou','Tor','Sel','Pis','Ver','Khol','Drou','Lan','Bor','Ost'], ['ivka','ovsk','iansk','yne','ove','ivske','ets','ohrad','itchi','any']],
    outlets: ['AFP', 'Le Monde', 'Le Figaro', 'France 24', 'Libération', 'RFI', 'Les Echos', 'Ouest-France'],
    places: ['Kiev', 'Kharkiv', 'Odessa', 'Lviv', 'Paris', 'Lyon', 'Marseille', 'Bruxelles', 'Varsovie', 'Dnipro', 'Zaporijia', 'Strasbourg', 'Genève'],
    actors: ['Ukrenergo', 'la Commission européenne', "l'Otan", 'EDF', 'TotalEnergies', 'la BERD', "l'AIEA", 'le gouvernement', 'Engie'],
    words: "responsables ingénieurs sous-station réparations nocturne capacité opérateur convoi turbine réserves gazoduc abri calendrier hiver coupures générateurs municipal urgence analystes députés ministère prêteurs tranche obligations auditeurs réacteur refroidissement gazole transformateurs batteries chauffage front évacuation bénévoles livraisons corridor assureurs tarifs exportateurs céréales port drones missiles radar entrepôt prestataires budget déficit coalition audition enquête verdict appel procureurs sanctions avoirs dépositaire prêt garanties".split(' '),
    credit: '(Rédaction {S}, édition desk)',
    events: [
      { titles: ["{A} rétablit l'électricité à {P} après une attaque de drones", "Électricité rétablie à {P} après l'attaque de drones, selon {A}", "Après les drones, {A} rebranche {P}"],
        leads: ["{A} a rétabli l'électricité de {N} 000 foyers à {P} après qu'une attaque de drones a endommagé une sous-station, a-t-il indiqué mardi.", "{N} 000 foyers de {P} ont retrouvé le courant mardi, selon {A}, quelques heures après une frappe de drones sur une sous-station."] },
      { titles: ['{A} alerte sur un manque de gaz à {P} cet hiver', 'Gaz: {A} craint une pénurie à {P} cet hiver', 'Pénurie de gaz possible à {P} cet hiver, avertit {A}'],
        leads: ['{A} a averti vendredi que les stocks de gaz destinés à {P} étaient inférieurs de {N} % à l’objectif.', 'Les réserves pour {P} sont à {N} % sous le plan, selon {A}, qui redoute une pénurie en cas de froid.'] },
      { titles: ['Frappe de missiles sur {P}: {N} morts, une centrale thermique touchée', '{N} morts dans une frappe russe sur {P}', 'Des missiles russes tuent {N} personnes à {P}'],
        leads: ['Une frappe de missiles russes sur {P} a tué {N} personnes et endommagé une centrale thermique, ont annoncé les autorités jeudi.', 'Au moins {N} personnes ont été tuées lorsque des missiles ont frappé {P} dans la nuit, a déclaré le gouverneur.'] },
    ],
  },
  es: {
    people: [['El gobernador','El alcalde','El ministro','El fiscal'], ['enko','uk','ich','ska']],
    toponym: [['Kra','Pok','Vol','Jor','Mir','Bil','Zol','Kup','Sta','Nov','Liu','Tor','Sel','Pis','Ver','Jol','Dru','Lan','Bor','Ost'], ['ivka','ovsk','iansk','ine','ove','ivske','ets','ojrad','ichi','ani']],
    outlets: ['EFE', 'El País', 'El Mundo', 'La Vanguardia', 'ABC', 'RTVE', 'Europa Press'],
    places: ['Kiev', 'Járkov', 'Odesa', 'Leópolis', 'Madrid', 'Barcelona', 'Bruselas', 'Varsovia', 'Dnipró', 'Zaporiyia', 'Sevilla', 'Valencia'],
    actors: ['Ukrenergo', 'la Comisión Europea', 'la OTAN', 'Iberdrola', 'Repsol', 'el BEI', 'el OIEA', 'el Gobierno', 'Enagás'],
    words: 'funcionarios ingenieros subestación reparaciones nocturno capacidad operador convoy turbina reservas gasoducto refugio calendario invierno apagones generadores municipal emergencia analistas diputados ministerio prestamistas tramo bonos auditores reactor refrigeración diésel transformadores baterías calefacción frente evacuación voluntarios envíos corredor aseguradoras aranceles exportadores grano puerto drones misiles radar almacén contratistas presupuesto déficit coalición audiencia investigación veredicto apelación fiscales sanciones activos depositario préstamo garantías'.split(' '),
    credit: '(Redacción {S}; edición mesa)',
    events: [
      { titles: ['{A} restablece la luz en {P} tras un ataque con drones', 'Vuelve la electricidad a {P} tras el ataque con drones, según {A}', '{A} repara la red de {P} después del ataque de drones'],
        leads: ['{A} restableció el suministro eléctrico a {N}.000 hogares de {P} después de que un ataque con drones dañara una subestación.', 'La electricidad volvió el martes a {N}.000 hogares de {P}, informó {A}, horas después del ataque de drones contra una subestación.'] },
      { titles: ['{A} advierte de escasez de gas en {P} este invierno', 'Escasez de gas en {P}: {A} alerta para el invierno', '{A} teme falta de gas en {P} este invierno'],
        leads: ['{A} advirtió el viernes que las reservas de gas para {P} están un {N} % por debajo del objetivo.', 'Las reservas de {P} están un {N} % por debajo de lo previsto, según {A}, que teme escasez si hace frío.'] },
    ],
  },
  uk: {
    people: [['Губернатор','Мер','Міністр','Прокурор'], ['енко','ук','ич','ська']],
    toponym: [['Кра','Пок','Вол','Гор','Мир','Біл','Зол','Куп','Ста','Нов','Лю','Тор','Сел','Пис','Вер','Хол','Дру','Лан','Бор','Ост'], ['івці','овську','янську','иному','овому','івському','ці','ограді','ичах','анах']],
    outlets: ['Укрінформ', 'Українська правда', 'Суспільне', 'УНІАН', 'Європейська правда', 'Громадське', 'РБК-Україна', 'НВ'],
    places: ['Києві', 'Харкові', 'Одесі', 'Львові', 'Дніпрі', 'Запоріжжі', 'Сумах', 'Полтаві', 'Миколаєві', 'Херсоні', 'Чернігові', 'Житомирі'],
    actors: ['Укренерго', 'Нафтогаз', 'Єврокомісія', 'МАГАТЕ', 'ДТЕК', 'Міненерго', 'Світовий банк', 'ЄБРР'],
    words: 'посадовці інженери підстанція ремонт вночі потужність оператор колона турбіна резерви газопровід укриття графік зима відключення генератори комунальний аварійний аналітики депутати міністерство кредитори транш облігації аудитори реактор охолодження дизель трансформатори батареї опалення фронт евакуація волонтери поставки коридор страховики тарифи експортери зерно порт дрони ракети радар склад підрядники закупівлі бюджет дефіцит коаліція слухання розслідування вирок апеляція прокурори санкції активи депозитарій позика гарантії'.split(' '),
    credit: '(Джерело: {S})',
    events: [
      { titles: ['{A}: світло в {P} повернули після атаки дронів', 'У {P} відновили електропостачання після атаки дронів — {A}', 'Після нічної атаки дронів у {P} знову є світло, повідомили в {A}'],
        leads: ['{A} повідомило, що відновило електропостачання для {N} тисяч родин у {P} після того, як дрони пошкодили підстанцію.', 'У {P} світло повернулося до {N} тисяч домівок, повідомили в {A} через кілька годин після удару дронів по підстанції.'] },
      { titles: ['Ракетний удар по {P}: {N} загиблих, пошкоджено ТЕЦ', 'У {P} внаслідок ракетного удару загинули {N} людей', 'Росія вдарила ракетами по {P}: {N} загиблих'],
        leads: ['Унаслідок ракетного удару по {P} загинули {N} людей, пошкоджено теплоелектроцентраль, повідомила обласна влада.', 'Щонайменше {N} людей загинули, коли ракети вночі влучили в ТЕЦ у {P}, заявив голова ОВА.'] },
      { titles: ['{A} попереджає про дефіцит газу в {P} взимку', 'У {P} взимку може забракнути газу — {A}', '{A}: запаси газу для {P} нижчі за план'],
        leads: ['{A} попередив, що запаси газу для {P} на {N} відсотків нижчі за план і взимку можливий дефіцит.', 'Запаси газу для {P} на {N} відсотків менші за потрібні, заявили в {A}, тож холодна зима може принести дефіцит.'] },
    ],
  },
};

const LANG_SHARE: [string, number][] = [['en', 0.45], ['de', 0.15], ['fr', 0.12], ['es', 0.1], ['uk', 0.18]];

export interface CorpusOptions {
  /** Articles to generate (exactly). */
  articles: number;
  seed?: number;
  topicId?: string;
  /** Period start (ISO): articles are published over the following 24 hours. */
  start?: string;
}

/** `articles` matched entries of one topic: ~45 % singletons, the rest in stories of 2 to ~30 outlets. */
export function storyCorpus(opts: CorpusOptions): LabelledEntry[] {
  const r = rng(opts.seed ?? 11);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const topicId = opts.topicId ?? 'world';
  const t0 = Date.parse(opts.start ?? '2026-11-25T05:00:00.000Z');
  const out: LabelledEntry[] = [];
  let story = 0;
  while (out.length < opts.articles) {
    let u = r();
    let code = 'en';
    for (const [c, share] of LANG_SHARE) if ((u -= share) < 0) { code = c; break; }
    const L = LANGS[code];
    const ev = pick(L.events);
    const [syl, end] = L.toponym;
    const place = r() < 0.3 ? pick(L.places) : pick(syl) + pick(syl).toLowerCase() + pick(end);
    const [roles, ends] = L.people;
    const actor = r() < 0.1 ? pick(L.actors) : `${pick(roles)} ${pick(syl)}${pick(syl).toLowerCase()}${pick(ends)}`;
    const slots = { P: place, A: actor, N: String(2 + Math.floor(r() * 900)) };
    const fill = (s: string, source = '') => s.replace(/\{([PANS])\}/g, (_, k: string) => (k === 'S' ? source : slots[k as 'P' | 'A' | 'N']));
    // Story size: singleton 45 %, else 2 + a geometric tail (mean ~5), capped by what is left to generate.
    const size = Math.min(opts.articles - out.length, r() < 0.45 ? 1 : 2 + Math.min(28, Math.floor(-Math.log(1 - r()) * 4)));
    const id = `s${story++}`;
    const when = t0 + Math.floor(r() * 20 * 3600_000);
    const body = (n: number) => sentences(L.words, n, r);
    // Headlines of one kind of event differ in more than their names: each story swaps some frame words for
    // words of its own, the same way in every paraphrase (so the story's headlines stay alike).
    const swap = new Map<string, string>();
    const own = (w: string) => {
      if (w.includes('{')) return w;
      if (!swap.has(w)) swap.set(w, r() < 0.4 ? pick(L.words) : w);
      return swap.get(w)!;
    };
    const headline = (t: string) => fill(t.split(' ').map(own).join(' '));
    const wire = { title: headline(ev.titles[0]), text: `${fill(pick(ev.leads))} ${body(8 + Math.floor(r() * 14))}` };
    const outlets = shuffle([...L.outlets], r);
    for (let k = 0; k < size; k++) {
      const source = k < outlets.length ? outlets[k] : `${outlets[k % outlets.length]} ${Math.floor(k / outlets.length) + 1}`;
      let title: string;
      let text: string;
      if (k === 0) ({ title, text } = wire);
      else if (r() < 0.35) {
        // Syndicated: the wire copy with a credit line, headline sometimes in title case.
        title = r() < 0.5 ? wire.title : wire.title.replace(/(^|\s)(\p{Ll})/gu, (_, sp: string, c: string) => sp + c.toUpperCase());
        text = `${wire.text} ${fill(L.credit, outlets[0])}`;
      } else {
        title = headline(pick(ev.titles));
        text = `${fill(pick(ev.leads))} ${body(6 + Math.floor(r() * 16))}`;
      }
      const published = new Date(when + k * Math.floor(r() * 40 * 60_000)).toISOString();
      out.push({
        story: id, itemId: `${id}-${k}`, url: `https://news${k}.example/${code}/${id}-${k}`, title, source, published,
        storedAt: new Date(Date.parse(published) + 5 * 60_000).toISOString(), lang: code, text, topicId,
        score: Math.round((1 + r() * 9) * 10) / 10,
        evidence: [{ rule: 'any[0]', term: slots.P, field: 'title', start: 0, end: slots.P.length, matched: slots.P, weight: 1 }],
      });
    }
  }
  return out;
}

/** `n` sentences of 12–30 random words from the language's list. */
function sentences(words: string[], n: number, r: () => number): string {
  const out: string[] = [];
  for (let s = 0; s < n; s++) {
    const len = 12 + Math.floor(r() * 19);
    const ws: string[] = [];
    for (let i = 0; i < len; i++) ws.push(words[Math.floor(r() * words.length)]);
    out.push(`${ws.join(' ')}.`);
  }
  return out.join(' ');
}

function shuffle<T>(xs: T[], r: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}
