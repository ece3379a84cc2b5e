// Words for the service's labels: the reader sees words, not only colours.

export const TYPES = ["sourcing", "syndication", "glossary"];

export const TYPE_NAMES = {
  sourcing: "Sourcing",
  syndication: "Syndication",
  glossary: "Glossary",
};

export const LABEL_NAMES = {
  attribution: "Attribution",
  vague_source: "Vague source",
  hedge: "Hedge",
  origin_credit: "Origin credit",
  copyright: "Copyright notice",
  byline: "Byline",
  wire_credit: "Wire credit",
  republication_notice: "Republication notice",
  boilerplate: "Boilerplate",
  entity: "Named entity",
  acronym: "Acronym",
  definition: "Definition",
  mention: "Glossary term",
};

export const SOURCE_KIND_NAMES = {
  named: "named source",
  official: "official source",
  anonymous: "anonymous source",
  vague: "vague source",
  media: "media report",
};

export function labelName(label) {
  return LABEL_NAMES[label] ?? String(label ?? "").replaceAll("_", " ");
}
