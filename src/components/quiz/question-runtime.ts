/**
 * What a question island loads when the learner asks for another variant: the template with the
 * simulator behind it. A chunk of its own (see `load-question.ts`), so a page opens without it.
 */
export { questionView } from "../../quiz/trace-the-request";
