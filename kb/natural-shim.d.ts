// Types for the few `natural` sub-modules the lookup imports directly. Importing "natural" itself
// loads dotenv and every model (~400 ms, console noise), so we never do.
declare module "natural/lib/natural/distance/jaro-winkler_distance.js" {
  function JaroWinklerDistance(
    s1: string,
    s2: string,
    options?: { ignoreCase?: boolean; dj?: number },
  ): number;
  export default JaroWinklerDistance;
}

declare module "natural/lib/natural/distance/levenshtein_distance.js" {
  interface DistanceOptions {
    insertion_cost?: number;
    deletion_cost?: number;
    substitution_cost?: number;
    transposition_cost?: number;
    restricted?: boolean;
  }
  export function DamerauLevenshteinDistance(
    source: string,
    target: string,
    options?: DistanceOptions,
  ): number;
  export function LevenshteinDistance(source: string, target: string, options?: DistanceOptions): number;
}

declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  const PorterStemmer: { stem(token: string): string };
  export default PorterStemmer;
}

declare module "natural/lib/natural/tfidf/tfidf.js" {
  class TfIdf {
    /** Arrays of terms are taken as they are (no lower-casing, no stop words removed). */
    addDocument(document: string[] | string, key?: string): void;
    idf(term: string, force?: boolean): number;
    tfidf(terms: string[] | string, documentIndex: number): number;
  }
  export default TfIdf;
}

declare module "natural/lib/natural/util/stopwords.js" {
  export const words: string[];
}
