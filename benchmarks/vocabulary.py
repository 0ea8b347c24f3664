"""Word lists and templates for the generated reports, English and French.

Kept apart from the generator so that make_corpus.py reads as the template of a report, and this
file as the words it is filled with. Every string here must be encodable in Windows-1252: a few
generated files are written in it, as some real exports are.
"""

from __future__ import annotations

# -- labels, headings and chrome (REPORT_FORMAT.md), by language ------------------------------

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "Summary", "start_date": "Start date", "site": "Implementation site",
        "budget": "Budget", "funding": "Source and details on funding", "employees": "Employees",
        "volunteers": "Volunteers", "members": "Members", "editorial": "Editorial committee",
        "proofreading": "Date of proofreading", "opinion": "Opinion of the Committee",
        "solutions": "Solution(s)", "country": "Country", "stature": "Stature of the programme",
        "participant": "Participant", "beneficiaries": "Beneficiaries", "domain": "Domain",
        "collection": "Reports collected as part of the RESOLIS programme",
        "licence": "Copyright: Licence", "citation": "To reference a document published by RESOLIS",
        "share": "Share this report", "download": "Download the report",
    },
    "fr": {
        "summary": "Résumé", "start_date": "Date de démarrage", "site": "Lieu de mise en œuvre",
        "budget": "Budget", "funding": "Source et détails du financement", "employees": "Salariés",
        "volunteers": "Bénévoles", "members": "Adhérents", "editorial": "Comité éditorial",
        "proofreading": "Date de relecture", "opinion": "Avis du comité",
        "solutions": "Solution(s)", "country": "Pays", "stature": "Envergure du programme",
        "participant": "Participant", "beneficiaries": "Bénéficiaires", "domain": "Domaine",
        "collection": "Fiches recueillies dans le cadre du programme RESOLIS",
        "licence": "Copyright : Licence", "citation": "Pour citer un document publié par RESOLIS",
        "share": "Partager cette fiche", "download": "Télécharger la fiche",
    },
}

# section key -> (English heading, French heading), in template order; "’" may become "'".
HEADINGS: dict[str, tuple[str, str]] = {
    "background": ("Background to the programme", "Contexte du programme"),
    "objectives": ("Objectives of the programme", "Objectifs du programme"),
    "actions": ("Implemented actions", "Actions mises en œuvre"),
    "results": (
        "Quantitative and qualitative results from the implemented actions",
        "Résultats quantitatifs et qualitatifs des actions mises en œuvre",
    ),
    "originality": ("Original characteristics", "Caractère original"),
    "partnerships": (
        "Partnership(s) developed in the context of the programme",
        "Partenariat(s) développé(s) dans le cadre du programme",
    ),
    "difficulties": (
        "Difficulties and/or obstacles encountered during the programme’s implementation",
        "Difficultés et/ou obstacles rencontrés lors de la mise en œuvre du programme",
    ),
    "remedies": (
        "Solutions used to overcome the difficulties and/or obstacles",
        "Solutions apportées pour surmonter les difficultés et/ou obstacles",
    ),
    "suggestions": ("Suggestions for future improvement", "Pistes d'amélioration"),
    "success_factors": (
        "Summary of factors responsible for the programme’s success",
        "Synthèse des facteurs de réussite du programme",
    ),
    "further_reading": ("To know more", "Pour en savoir plus"),
}

# Headings the template does not know, which start an extra section (with a warning).
EXTRA_HEADINGS = {
    "en": ["Testimonies", "Key figures", "Press coverage", "Next steps"],
    "fr": ["Témoignages", "Chiffres clés", "Revue de presse", "Prochaines étapes"],
}
SUBHEADINGS = {
    "en": ["Reasons for Success", "Advice for a general expansion of the programme"],
    "fr": ["Raisons du succès", "Conseils pour une généralisation du programme"],
}

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
}
UNREADABLE_DATES = {
    "en": ["early {year}", "Spring {year}", "end of {year}", "{year}?"],
    "fr": ["début {year}", "printemps {year}", "fin {year}", "vers {year}"],
}
NOT_COMMUNICATED = {"en": "Not communicated", "fr": "Non communiqué"}
PER_YEAR = {"en": ["per year", "a year"], "fr": ["par an"]}
COUNT_WORDS = {"en": ["about twenty", "a dozen", "several", "none yet"],
               "fr": ["une vingtaine", "une dizaine", "plusieurs", "aucun pour l'instant"]}

# -- controlled lists (English, French) -------------------------------------------------------

SOLUTIONS = [
    ("Education", "Éducation"), ("Social exclusion and isolation", "Exclusion sociale et isolement"),
    ("Employment and integration", "Emploi et insertion"), ("Health", "Santé"),
    ("Housing", "Logement"), ("Food and nutrition", "Alimentation et nutrition"),
    ("Access to rights", "Accès aux droits"), ("Parenting support", "Soutien à la parentalité"),
    ("Culture and leisure", "Culture et loisirs"), ("Mobility", "Mobilité"),
    ("Financial inclusion", "Inclusion financière"), ("Digital inclusion", "Inclusion numérique"),
    ("Environment", "Environnement"),
]
DOMAINS = [
    ("Education", "Éducation"), ("Training", "Formation"), ("Cooperation", "Coopération"),
    ("Psychology", "Psychologie"), ("Health", "Santé"), ("Social work", "Travail social"),
    ("Economy", "Économie"), ("Law", "Droit"), ("Culture", "Culture"), ("Sport", "Sport"),
    ("Agriculture", "Agriculture"), ("Urban planning", "Urbanisme"), ("Environment", "Environnement"),
]
BENEFICIARIES = [
    ("Pupil, students", "Élève, étudiants"), ("Universal", "Universel"), ("Children", "Enfants"),
    ("Young people", "Jeunes"), ("Families", "Familles"), ("Women", "Femmes"),
    ("Elderly people", "Personnes âgées"), ("People with disabilities", "Personnes handicapées"),
    ("Migrants", "Migrants"), ("Unemployed people", "Demandeurs d'emploi"),
    ("Homeless people", "Personnes sans domicile"), ("Inmates", "Détenus"),
]
PARTICIPANTS = [
    ("Public institution", "Institution publique"), ("Association, ONG", "Association, ONG"),
    ("Company", "Entreprise"), ("Foundation", "Fondation"),
    ("Local authority", "Collectivité territoriale"),
    ("Research institution", "Établissement de recherche"), ("Individual", "Particulier"),
]
STATURES = [("Local", "Locale"), ("Regional", "Régionale"), ("National", "Nationale"),
            ("International", "Internationale")]
FUNDING_TYPES = [("Public", "Public"), ("Private", "Privé"), ("Mixed", "Mixte"),
                 ("Self-funded", "Autofinancement")]

# -- places, organisations, people ------------------------------------------------------------

# (town, postcode prefix, region): French towns get a five-digit postcode.
FRENCH_TOWNS = [
    ("Aubervilliers", "93", "Île-de-France"), ("Saint-Denis", "93", "Île-de-France"),
    ("Lieusaint", "77", "Île-de-France"), ("Créteil", "94", "Île-de-France"),
    ("Lyon", "69", "Auvergne-Rhône-Alpes"), ("Grenoble", "38", "Auvergne-Rhône-Alpes"),
    ("Marseille", "13", "Provence-Alpes-Côte d'Azur"), ("Nice", "06", "Provence-Alpes-Côte d'Azur"),
    ("Roubaix", "59", "Hauts-de-France"), ("Lille", "59", "Hauts-de-France"),
    ("Amiens", "80", "Hauts-de-France"), ("Rennes", "35", "Bretagne"), ("Brest", "29", "Bretagne"),
    ("Nantes", "44", "Pays de la Loire"), ("Angers", "49", "Pays de la Loire"),
    ("Bordeaux", "33", "Nouvelle-Aquitaine"), ("Poitiers", "86", "Nouvelle-Aquitaine"),
    ("Toulouse", "31", "Occitanie"), ("Montpellier", "34", "Occitanie"),
    ("Strasbourg", "67", "Grand Est"), ("Metz", "57", "Grand Est"), ("Dijon", "21", "Bourgogne-Franche-Comté"),
    ("Orléans", "45", "Centre-Val de Loire"), ("Rouen", "76", "Normandie"), ("Caen", "14", "Normandie"),
]
# (English country, French country, [(town, four-digit postcode or None)], English region, French region)
OTHER_COUNTRIES = [
    ("Belgium", "Belgique", [("Bruxelles", "1000"), ("Liège", "4000"), ("Namur", "5000")], "Wallonia", "Wallonie"),
    ("Senegal", "Sénégal", [("Dakar", None), ("Thiès", None)], None, None),
    ("Switzerland", "Suisse", [("Genève", "1201"), ("Lausanne", "1003")], None, None),
    ("Morocco", "Maroc", [("Rabat", None), ("Casablanca", None)], None, None),
    ("Canada", "Canada", [("Montréal", None)], "Quebec", "Québec"),
]
STREET_TYPES = ["rue", "avenue", "boulevard", "impasse", "place", "allée", "chemin"]
STREET_NAMES = [
    "de la République", "Victor Hugo", "Jean Jaurès", "du Moulin à Vent", "de Marseille",
    "Hémet", "de la Padouane", "des Lilas", "Pasteur", "du Général Leclerc", "des Écoles",
    "de la Gare", "Voltaire", "du Port", "des Tanneurs", "Saint-Exupéry", "de la Liberté",
]
ORGANISATION_PATTERNS = [
    "Association {word} {town}", "Les {plural} de {town}", "Centre social {person}",
    "Fondation {person}", "{word} Solidarité {town}", "Maison des {plural} de {town}",
    "Collectif {word} {town}", "Réseau {word}", "Atelier {word} de {town}",
]
ORGANISATION_WORDS = [
    "Solidarité Emploi", "Déclic", "Passerelle", "Horizon", "Entraide", "Trait d'Union",
    "Bouge Ton Quartier", "Coup de Pouce", "Relais", "Tremplin", "Les Petits Pas", "Racines",
    "Main Tendue", "Ensemble", "Cap Avenir", "Graines de Savoir", "Le Temps des Parents",
]
ORGANISATION_PLURALS = ["Jardins", "Cuisines Partagées", "Ateliers", "Amis", "Voisins", "Familles", "Parents"]
SURNAMES = [
    "Lebreton", "Maucherat", "Girard", "Benali", "Lefebvre", "Martin", "Bernard", "Dubois",
    "Moreau", "Laurent", "Garcia", "Diallo", "Nguyen", "Petit", "Roux", "Fontaine", "Chevalier",
    "Mercier", "Boyer", "Traoré", "Haddad", "Renaud", "Perrin", "Colin", "Lemoine",
]
GIVEN_NAMES = [
    "Christine", "Alain", "Hélène", "Karim", "Marc", "Sophie", "Nadia", "Pierre", "Aminata",
    "Julien", "Camille", "Louis", "Fatou", "Élodie", "Thomas", "Inès", "Yann", "Claire", "Mehdi",
]
# Funders; some carry commas inside parentheses, which do not separate funders.
FUNDERS = {
    "en": [
        "SAN", "CAF77", "CUCS (Urban Contract for Social Cohesion, Sénart)", "Fondation de France",
        "town of {town}", "{town} town council", "the Regional Council", "European Social Fund (ESF)",
        "Family Allowance Fund (CAF, {town})", "the regional social housing landlord",
        "private donations", "Fondation Abbé Pierre", "the Departmental Council",
        "Regional Health Agency (ARS, {region})",
    ],
    "fr": [
        "la CAF", "la mairie de {town}", "le Conseil départemental", "la Fondation de France",
        "le Fonds social européen (FSE)", "le CUCS (Contrat urbain de cohésion sociale, Sénart)",
        "des dons privés", "la Région", "l'Agence régionale de santé (ARS, {region})",
        "la Fondation Abbé Pierre", "le bailleur social",
    ],
}
COLLECTIONS = [
    ("Poverty France", "Pauvreté en France", "Reso77 (2014)"),
    ("Poverty France", "Pauvreté en France", "Reso59 (2013)"),
    ("Taking Action together against dropping out of school", "Agir ensemble contre le décrochage scolaire", "2015"),
    ("Food insecurity in France", "Précarité alimentaire en France", "2014"),
    ("Digital inclusion", "Inclusion numérique", "2016"),
    ("Youth employment", "Emploi des jeunes", "Reso13 (2015)"),
    ("Ageing well", "Bien vieillir", "(2017)"),
]
LICENCE = "Creative Commons Attribution 3.0 ( http://creativecommons.org/licenses/by/3.0/ )"

# -- titles -------------------------------------------------------------------------------------

TITLE_ACTIVITIES = {
    "en": [
        "Shared Kitchens", "Digital Workshops", "Community Gardens", "Homework Clubs",
        "A Mobile Health Clinic", "Job Coaching", "A Repair Café", "Parenting Circles",
        "A Legal Aid Desk", "A Solidarity Grocery", "Language Cafés", "Sports Mentoring",
        "Housing First Flats", "A Micro-credit Circle", "A Bike Workshop", "School Workshops",
        "Training Sessions", "Theatre Workshops", "A Home-sharing Scheme", "Budget Coaching",
    ],
    "fr": [
        "Cuisines partagées", "Ateliers numériques", "Jardins partagés", "Clubs de devoirs",
        "Un bus santé", "Accompagnement vers l'emploi", "Un café réparation", "Cercles de parents",
        "Une permanence juridique", "Une épicerie solidaire", "Cafés des langues",
        "Parrainage sportif", "Un atelier vélo", "Micro-crédit solidaire", "Ateliers de théâtre",
        "Cohabitation intergénérationnelle", "Ateliers budget",
    ],
}
TITLE_AUDIENCES = {
    "en": [
        "Isolated Elderly People", "Young Jobseekers", "Migrant Parents", "Single Mothers",
        "Homeless People", "Pupils at Risk of Dropping Out", "Former Inmates",
        "Families on Low Incomes", "Disabled Adults", "Students", "Residents of Housing Estates",
    ],
    "fr": [
        "les personnes âgées isolées", "les jeunes demandeurs d'emploi", "les parents migrants",
        "les familles monoparentales", "les personnes sans domicile", "les élèves en décrochage",
        "les sortants de prison", "les familles modestes", "les adultes handicapés", "les étudiants",
    ],
}

# -- sentences ----------------------------------------------------------------------------------

# (subject, singular?) and verb forms (singular, plural): subject and verb agree.
SUBJECTS = {
    "en": [("The association", True), ("Volunteers", False), ("Social workers", False),
           ("The town council", True), ("Participants", False), ("The team", True),
           ("Local partners", False), ("A coordinator", True), ("Residents", False), ("Teachers", False)],
    "fr": [("L'association", True), ("Les bénévoles", False), ("Les travailleurs sociaux", False),
           ("La mairie", True), ("Les participants", False), ("L'équipe", True),
           ("Les partenaires", False), ("Une coordinatrice", True), ("Les habitants", False),
           ("Le centre social", True)],
}
VERBS = {
    "en": [("organises", "organise"), ("supports", "support"), ("runs", "run"), ("offers", "offer"),
           ("coordinates", "coordinate"), ("evaluates", "evaluate"), ("prepares", "prepare"),
           ("leads", "lead"), ("finances", "finance"), ("promotes", "promote")],
    "fr": [("organise", "organisent"), ("soutient", "soutiennent"), ("anime", "animent"),
           ("propose", "proposent"), ("coordonne", "coordonnent"), ("évalue", "évaluent"),
           ("prépare", "préparent"), ("finance", "financent"), ("accompagne", "accompagnent")],
}
OBJECTS = {
    "en": ["weekly workshops", "individual interviews", "home visits", "training sessions",
           "collective meals", "a newsletter for the families", "language classes",
           "information meetings", "outings to museums", "a monthly steering committee",
           "a network of volunteers", "support for administrative procedures"],
    "fr": ["des ateliers hebdomadaires", "des entretiens individuels", "des visites à domicile",
           "des sessions de formation", "des repas partagés", "une lettre d'information",
           "des cours de langue", "des réunions d'information", "des sorties culturelles",
           "un comité de pilotage mensuel", "un réseau de bénévoles", "l'aide aux démarches administratives"],
}
COMPLEMENTS = {
    "en": ["in the neighbourhood", "with local partners", "every Tuesday morning", "since {year}",
           "for isolated people", "in partnership with the town hall", "in {town}",
           "during the school holidays", "in small groups of six to eight people",
           "with the help of the social centre", "at no cost for the participants", ""],
    "fr": ["dans le quartier", "avec les partenaires locaux", "chaque mardi matin", "depuis {year}",
           "pour les personnes isolées", "en lien avec la mairie", "à {town}",
           "pendant les vacances scolaires", "en petits groupes de six à huit personnes",
           "avec l'appui du centre social", "gratuitement pour les participants", ""],
}
RESULT_SENTENCES = {
    "en": ["{n} people took part in {year}, {m} of them regularly.",
           "{p} % of the participants found a job or a training course within a year.",
           "The number of participating schools rose from {m} to {n}.",
           "Participants report feeling less isolated and going out more often.",
           "An evaluation by the university confirmed the positive effects on the families."],
    "fr": ["{n} personnes ont participé en {year}, dont {m} régulièrement.",
           "{p} % des participants ont trouvé un emploi ou une formation dans l'année.",
           "Le nombre d'écoles participantes est passé de {m} à {n}.",
           "Les participants disent se sentir moins seuls et sortir plus souvent.",
           "Une évaluation menée par l'université a confirmé les effets positifs sur les familles."],
}
ITEMS = {
    "objectives": {
        "en": ["Break the isolation of people living alone.", "Help parents support the education of their children.",
               "Improve access to rights and services.", "Create links between generations.",
               "Give residents a place to meet and work together.", "Help jobseekers become independent online."],
        "fr": ["Rompre l'isolement des personnes seules.", "Aider les parents à suivre la scolarité de leurs enfants.",
               "Améliorer l'accès aux droits et aux services.", "Créer des liens entre les générations.",
               "Offrir aux habitants un lieu de rencontre.", "Rendre les demandeurs d'emploi autonomes en ligne."],
    },
    "difficulties": {
        "en": ["Recruitment of participants.", "Keeping volunteers over the summer.", "Turn-over of the staff.",
               "Finding an accessible room at an affordable price.", "Uncertain funding from one year to the next."],
        "fr": ["Le recrutement des participants.", "Garder les bénévoles pendant l'été.", "Le renouvellement des équipes.",
               "Trouver un local accessible à un prix abordable.", "Un financement incertain d'une année sur l'autre."],
    },
    "remedies": {
        "en": ["A monthly committee with all the partners.", "An agreement with the social centre for the use of its rooms.",
               "A summer rota shared with a students' association.", "Meetings with the teams before each session."],
        "fr": ["Un comité mensuel avec tous les partenaires.", "Une convention avec le centre social pour ses locaux.",
               "Un planning d'été partagé avec une association d'étudiants.", "Des réunions avec les équipes avant chaque séance."],
    },
    "suggestions": {
        "en": ["Extend the workshops to a second district.", "Give more visibility to the project.",
               "Open a session on Saturdays.", "Train more volunteers."],
        "fr": ["Étendre les ateliers à un deuxième quartier.", "Donner plus de visibilité au projet.",
               "Ouvrir une séance le samedi.", "Former davantage de bénévoles."],
    },
    "success_factors": {
        "en": ["The participants' ownership of the project.", "A stable team of volunteers.",
               "Small groups and a regular rhythm.", "The commitment of the educational team."],
        "fr": ["L'appropriation du projet par les participants.", "Une équipe stable de bénévoles.",
               "Des petits groupes et un rythme régulier.", "L'engagement de l'équipe éducative."],
    },
}
PARTNERS = {
    "en": ["Directorate of Departmental Services of National Education", "General Council",
           "Departmental Direction of Social Cohesion", "Municipality", "Local social centre",
           "Food bank of the Rhône (Banque Alimentaire du Rhône)", "Pôle emploi {town}",
           "The partner organisations (associations, social centres)", "{town} town hall"],
    "fr": ["Pôle emploi {town}", "Centre social Del Rio", "Mairie de {town}", "Conseil départemental",
           "Banque alimentaire (Banque Alimentaire du Rhône)", "Les associations du quartier (centres sociaux, clubs)",
           "Éducation nationale"],
}
FURTHER_READING = {
    "en": ["Website of the association: http://www.{slug}.example.org",
           "Report \"Bien manger pour bien vieillir\", CCAS de {town}, {year}",
           "Article by {person}, \"Building partnerships\", SAVOIRS ET FORMATION N°70, {year}"],
    "fr": ["Site de l'association : http://www.{slug}.example.org",
           "Rapport « Bien manger pour bien vieillir », CCAS de {town}, {year}",
           "Article de {person}, « Construire des partenariats », SAVOIRS ET FORMATION N°70, {year}"],
}
EXTRA_PARAGRAPHS = {
    "en": ["\"I did not know my neighbours before the project.\" (a resident)",
           "In {year} the project was presented in the regional press and on local radio."],
    "fr": ["« Je ne connaissais pas mes voisins avant le projet. » (une habitante)",
           "En {year}, le projet a été présenté dans la presse régionale et à la radio locale."],
}
OPINIONS = {
    "en": ["Should be generalized ! Unclear results and impact", "Simple and replicable",
           "A promising initiative", "Well documented, results to be confirmed"],
    "fr": ["À généraliser", "Simple et reproductible", "Une initiative prometteuse",
           "Bien documenté, résultats à confirmer"],
}
