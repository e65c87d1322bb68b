/**
 * Word lists the benchmark catalogue is built from. Nouns are ordered roughly from the most to the least common in a
 * bank's service names; the seed draws them with a Zipf-like weight, so a search for "card" matches thousands of
 * services and one for "forfaiting" a handful.
 */
export const nouns = [
  // very common
  "card", "payment", "account", "customer", "ledger", "loan", "transfer", "transaction", "risk", "fraud",
  "auth", "balance", "statement", "notification", "onboarding", "mortgage", "deposit", "limit", "pricing", "rate",
  "fx", "trade", "order", "settlement", "clearing", "reconciliation", "compliance", "kyc", "aml", "identity",
  "document", "consent", "profile", "product", "offer", "interest", "fee", "billing", "invoice", "collateral",
  "credit", "debit", "wallet", "atm", "branch", "channel", "mobile", "online", "cheque", "standing",
  // common
  "beneficiary", "mandate", "direct", "swift", "sepa", "iban", "bic", "instant", "batch", "position",
  "portfolio", "holding", "custody", "securities", "bond", "equity", "derivative", "margin", "exposure", "liquidity",
  "treasury", "funding", "cash", "forecast", "budget", "cost", "revenue", "tax", "vat", "report",
  "regulatory", "audit", "journal", "posting", "entry", "chargeback", "dispute", "refund", "merchant", "acquiring",
  "issuing", "token", "pin", "cvv", "otp", "session", "login", "password", "device", "biometric",
  "alert", "case", "investigation", "sanction", "screening", "watchlist", "pep", "scoring", "rating", "underwriting",
  "application", "origination", "servicing", "arrears", "collection", "recovery", "writeoff", "provision", "impairment", "capital",
  "basel", "stress", "scenario", "model", "pricing-engine", "quote", "rfq", "execution", "routing", "allocation",
  // less common
  "confirmation", "affirmation", "netting", "novation", "corporate-action", "dividend", "coupon", "accrual", "amortisation", "valuation",
  "benchmark", "curve", "volatility", "greeks", "hedge", "swap", "option", "future", "repo", "lending",
  "syndication", "facility", "covenant", "guarantee", "letter", "trade-finance", "factoring", "leasing", "insurance", "pension",
  "savings", "isa", "overdraft", "cashback", "reward", "loyalty", "voucher", "subscription", "household", "salary",
  "payroll", "employer", "sme", "corporate", "retail", "private", "wealth", "advisory", "suitability", "questionnaire",
  // rare
  "escrow", "nostro", "vostro", "correspondent", "cutoff", "calendar", "holiday", "fixing", "libor", "sonia",
  "estr", "euribor", "ibor", "fallback", "eod", "intraday", "snapshot", "archive", "retention", "lineage",
  "forfaiting", "escheatment", "dormancy", "probate", "bereavement", "garnishment", "remittance", "tarjeta", "lockbox", "sweep",
];

export const suffixes = [
  "api", "service", "gateway", "sync", "worker", "consumer", "producer", "adapter", "engine", "store",
  "cache", "bridge", "scheduler", "processor", "validator", "router", "proxy", "registry", "monitor", "exporter",
  "importer", "indexer", "aggregator", "orchestrator", "notifier", "publisher", "listener", "loader", "batch", "stream",
  "ui", "web", "bff", "cli", "job", "cron", "db", "etl", "feed", "hub",
  "manager", "checker", "resolver", "calculator", "reporter", "archiver", "migrator", "simulator", "tracker", "dispatcher",
];

export const verbs = [
  "Synchronises", "Validates", "Publishes", "Stores", "Calculates", "Reconciles", "Routes", "Aggregates", "Exposes",
  "Schedules", "Screens", "Enriches", "Archives", "Indexes", "Tracks", "Monitors", "Settles", "Notifies about",
];

export const objects = [
  "entries", "events", "records", "requests", "positions", "balances", "limits", "documents", "messages", "files",
  "snapshots", "instructions", "confirmations", "alerts", "quotes", "decisions",
];

export const audiences = [
  "the retail app", "branch staff", "the contact centre", "corporate clients", "the general ledger", "regulators",
  "the data platform", "internal auditors", "partner banks", "the mobile app", "treasury desks", "the risk engine",
];

export const tags = [
  "java", "kotlin", "go", "python", "typescript", "node", "scala", "dotnet", "cobol", "rust",
  "spring", "quarkus", "kafka", "rabbitmq", "postgres", "oracle", "db2", "redis", "mongodb", "elasticsearch",
  "grpc", "rest", "graphql", "soap", "mq", "batch", "realtime", "event-driven", "mainframe", "kubernetes",
  "pci", "gdpr", "sox", "psd2", "dora", "basel", "mifid", "aml", "critical", "customer-facing",
  "internal", "external", "legacy", "strategic", "tactical", "sunset", "cloud", "on-prem", "aws", "azure",
  "gcp", "terraform", "observability", "sre", "data", "ml", "analytics", "reporting", "security", "api-first",
];

export const departments = [
  "retail-banking", "corporate-banking", "wealth-management", "global-markets", "payments", "risk-and-compliance",
  "technology-platforms", "operations",
];

export const firstNames = [
  "anna", "ben", "carla", "david", "elena", "felix", "greta", "hugo", "ines", "jonas", "karin", "lukas", "maria",
  "niklas", "olga", "paul", "quentin", "rosa", "stefan", "tanja", "ulrich", "vera", "walter", "xenia", "yusuf",
  "zoe", "amir", "bianca", "chen", "dmitri", "emma", "farah", "gustav", "hana", "ivan", "julia", "kofi", "lea",
  "mateo", "nora", "oscar", "priya", "raj", "sofia", "tomas", "uma", "viktor", "wei", "yara", "zeynep", "aisha",
  "bruno", "clara", "diego", "eva", "fatima", "georg", "helena", "igor", "jana", "kai", "lina", "marco", "nina",
  "omar", "petra", "ruben", "sara", "timo", "ursula", "valentin", "wanda", "yannick", "zara", "alex", "birgit",
  "conor", "daria", "erik", "freya", "gabriel", "hannah", "isak", "jasmin", "kenji", "laura", "milan", "nadia",
  "olivia", "pedro", "rahul", "selma", "theo", "ugo", "vanessa", "william", "yuki", "zaid",
];

export const lastNames = [
  "muller", "schmidt", "schneider", "fischer", "weber", "meyer", "wagner", "becker", "schulz", "hoffmann",
  "koch", "richter", "klein", "wolf", "schroder", "neumann", "schwarz", "braun", "zimmermann", "kruger",
  "hartmann", "lange", "werner", "krause", "lehmann", "kohler", "maier", "huber", "kaiser", "fuchs", "peters",
  "lang", "scholz", "moller", "weiss", "jung", "hahn", "vogel", "friedrich", "keller", "gunther", "frank",
  "berger", "winkler", "roth", "beck", "lorenz", "baumann", "franke", "albrecht", "smith", "jones", "taylor",
  "brown", "williams", "wilson", "johnson", "davies", "patel", "wright", "garcia", "martinez", "lopez", "gonzalez",
  "rossi", "russo", "ferrari", "esposito", "bianchi", "romano", "colombo", "ricci", "marino", "greco", "dubois",
  "martin", "bernard", "thomas", "petit", "robert", "richard", "durand", "leroy", "moreau", "nowak", "kowalski",
  "wisniewski", "kaminski", "lewandowski", "novak", "horvat", "kovac", "jensen", "nielsen", "hansen", "andersen",
  "larsen", "johansson", "karlsson", "nilsson", "eriksson", "virtanen", "korhonen", "silva", "santos", "ferreira",
  "pereira", "oliveira", "costa", "kim", "lee", "park", "wang", "li", "zhang", "liu", "chen", "yang", "huang",
  "nguyen", "tran", "singh", "kumar", "sharma", "khan", "ali", "ahmed", "hassan", "ibrahim", "yilmaz", "kaya",
  "demir", "sahin", "celik", "ozturk", "ivanov", "petrov", "smirnov", "popescu", "ionescu", "papadopoulos",
  "murphy", "kelly", "obrien", "walsh", "byrne", "ryan", "okafor", "mensah", "tanaka", "suzuki", "sato",
];
