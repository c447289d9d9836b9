/** Where a learner's progress lives in localStorage; a module of its own so a page can peek without the schema. */
export const PROGRESS_KEY = "packet-lab:progress";
