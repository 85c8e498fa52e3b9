// Every text of the page, in Dutch and English. Error codes are those of DESIGN.md section 7;
// each sentence says what happened and what the person can do, and carries no personal data.
// `network` covers a backend that cannot be reached, `unknown` any code not listed here.
window.BIG_TEXTS = {
  nl: {
    title: 'BIG-registratie in je Yivi-app laden',
    intro:
      'Met je Yivi-app deel je je naam en geboortedatum; wij zoeken daarmee je inschrijving in het BIG-register op en zetten je BIG-nummer, beroep en specialismen als gegevens in je app. Wij bewaren niets: je gegevens worden alleen voor deze opzoeking gebruikt en daarna meteen vergeten.',
    start: 'BIG-registratie laden',
    language: 'English',
    languageLabel: 'Switch to English',
    loading: 'Een moment, de sessie wordt gestart…',
    scanChained:
      'Scan de QR-code met je Yivi-app (of open de app op deze telefoon) en deel je naam en geboortedatum. Je BIG-registratie komt daarna in dezelfde sessie in je app.',
    scanStep1: 'Stap 1 van 2: scan de QR-code met je Yivi-app (of open de app op deze telefoon) en deel je naam en geboortedatum.',
    checking: 'Je gegevens worden in het BIG-register opgezocht…',
    previewTitle: 'Dit komt in je Yivi-app',
    previewIntro: 'Controleer je gegevens. Klopt dit?',
    scanStep2:
      'Stap 2 van 2: scan de QR-code opnieuw met je Yivi-app (of open de app opnieuw) om deze gegevens toe te voegen. De app vraagt je eerst nog een keer je naam en geboortedatum te tonen.',
    profession: 'Beroep',
    bigNumber: 'BIG-nummer',
    specialisms: 'Specialismen',
    noSpecialisms: 'geen',
    doneTitle: 'Gelukt',
    done: 'Je BIG-registratie staat nu in je Yivi-app. Je kunt deze pagina sluiten.',
    refusedTitle: 'Het is niet gelukt',
    again: 'Opnieuw beginnen',
    errors: {
      'invalid-request':
        'De gegevens uit je Yivi-app kwamen niet goed bij ons aan. Begin opnieuw; lukt het weer niet, probeer het dan later.',
      'invalid-disclosure':
        'We konden de gegevens uit je Yivi-app niet controleren. Deel je naam en geboortedatum uit één bron (bijvoorbeeld iDIN) en begin opnieuw.',
      'disclosure-expired':
        'Het delen van je gegevens is te lang geleden. Begin opnieuw en rond het in één keer af.',
      'unusable-identity':
        'Je naam of geboortedatum in je Yivi-app is onvolledig of onleesbaar. Vernieuw die gegevens in je app (bijvoorbeeld via iDIN) en begin opnieuw.',
      'no-registration':
        'We vonden geen inschrijving in het BIG-register bij je naam en geboortedatum. Controleer je inschrijving op bigregister.nl of neem contact op met het BIG-register.',
      'ambiguous-registration':
        'Bij je naam en geboortedatum horen meerdere inschrijvingen, dus we kunnen niet zeker weten welke van jou is. Neem contact op met het BIG-register.',
      'registration-ended':
        'Je inschrijving in het BIG-register is niet (meer) geldig of is beperkt, dus we kunnen geen BIG-gegevens uitgeven. Neem bij vragen contact op met het BIG-register.',
      'big-unavailable':
        'Het BIG-register is nu niet bereikbaar. Probeer het over een paar minuten opnieuw.',
      'big-unverifiable':
        'Het BIG-register gaf een antwoord dat we niet betrouwbaar konden controleren, dus we geven niets uit. Probeer het later opnieuw.',
      'not-found':
        'Deze pagina is verkeerd ingesteld en vindt de uitgiftedienst niet. Probeer het later opnieuw of meld het aan de beheerder.',
      'method-not-allowed':
        'Deze pagina is verkeerd ingesteld en praat niet goed met de uitgiftedienst. Probeer het later opnieuw of meld het aan de beheerder.',
      'payload-too-large':
        'De gegevens uit je Yivi-app waren groter dan verwacht. Begin opnieuw en deel alleen je naam en geboortedatum.',
      internal:
        'Er ging bij ons iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan aan de beheerder.',
      network:
        'De uitgiftedienst is niet bereikbaar. Controleer je internetverbinding en probeer het opnieuw.',
      unknown: 'Er ging iets mis en we konden het niet afronden. Begin opnieuw; lukt het weer niet, probeer het dan later.',
    },
  },
  en: {
    title: 'Load your BIG registration into your Yivi app',
    intro:
      'You share your name and date of birth from your Yivi app; we use them to look up your registration in the BIG register and put your BIG number, profession and specialisms into your app. We keep nothing: your data is used only for this lookup and forgotten right after.',
    start: 'Load BIG registration',
    language: 'Nederlands',
    languageLabel: 'Wissel naar Nederlands',
    loading: 'One moment, starting the session…',
    scanChained:
      'Scan the QR code with your Yivi app (or open the app on this phone) and share your name and date of birth. Your BIG registration then arrives in your app in the same session.',
    scanStep1: 'Step 1 of 2: scan the QR code with your Yivi app (or open the app on this phone) and share your name and date of birth.',
    checking: 'Looking up your details in the BIG register…',
    previewTitle: 'This goes into your Yivi app',
    previewIntro: 'Check your details. Is this right?',
    scanStep2:
      'Step 2 of 2: scan the QR code again with your Yivi app (or open the app again) to add these details. The app first asks you to show your name and date of birth once more.',
    profession: 'Profession',
    bigNumber: 'BIG number',
    specialisms: 'Specialisms',
    noSpecialisms: 'none',
    doneTitle: 'Done',
    done: 'Your BIG registration is now in your Yivi app. You can close this page.',
    refusedTitle: 'That did not work',
    again: 'Start again',
    errors: {
      'invalid-request':
        'The details from your Yivi app did not reach us properly. Start again; if it fails again, try later.',
      'invalid-disclosure':
        'We could not verify the details from your Yivi app. Share your name and date of birth from a single source (for example iDIN) and start again.',
      'disclosure-expired':
        'You shared your details too long ago. Start again and finish in one go.',
      'unusable-identity':
        'Your name or date of birth in your Yivi app is incomplete or unreadable. Renew those details in your app (for example via iDIN) and start again.',
      'no-registration':
        'We found no registration in the BIG register for your name and date of birth. Check your registration at bigregister.nl or contact the BIG register.',
      'ambiguous-registration':
        'Several registrations match your name and date of birth, so we cannot be sure which one is yours. Please contact the BIG register.',
      'registration-ended':
        'Your registration in the BIG register is no longer valid or is restricted, so we cannot issue BIG details. Contact the BIG register if you have questions.',
      'big-unavailable': 'The BIG register cannot be reached right now. Try again in a few minutes.',
      'big-unverifiable':
        'The BIG register gave an answer we could not reliably check, so we issue nothing. Try again later.',
      'not-found':
        'This page is misconfigured and cannot find the issuing service. Try again later or tell the site administrator.',
      'method-not-allowed':
        'This page is misconfigured and does not talk to the issuing service correctly. Try again later or tell the site administrator.',
      'payload-too-large':
        'The details from your Yivi app were larger than expected. Start again and share only your name and date of birth.',
      internal:
        'Something went wrong on our side. Try again later; if it keeps failing, tell the site administrator.',
      network: 'The issuing service cannot be reached. Check your internet connection and try again.',
      unknown: 'Something went wrong and we could not finish. Start again; if it fails again, try later.',
    },
  },
};
