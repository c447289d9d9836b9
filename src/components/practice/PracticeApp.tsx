import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { labHref, type AnyVariant } from "../../quiz/engine/types";
import type { Progress } from "../../quiz/progress";
import { recordReview } from "../../quiz/srs";
import { dueReviews, nextSeed } from "../../quiz/srs";
import "../../styles/quiz.css";
import "../../styles/practice.css";
import { deckHref, deckQuestions, deckTitle, draw, parseDeck, parseVariantParams, variantSearch, type Catalogue, type Deck, type QuestionEntry } from "./catalogue";
import { fillDeckProgress } from "./deck-progress";
import { loadBank, type BankRuntime } from "./load-bank";
import { MockSetup, type MockSettings } from "./MockSetup";
import { MockSummary, type MockItem } from "./MockSummary";
import { ProgressControls } from "./ProgressControls";
import { readStoredProgress, updateStoredProgress, type StoredProgress } from "./progress-store";
import { templateHistory } from "./progress-view";
import type { AttemptOutcome, AttemptReview } from "./QuestionCard";

export interface PracticeAppProps {
  /** The bank as plain data, read when the site is built. */
  readonly catalogue: Catalogue;
  /**
   * The deck list, as static HTML from DeckList.astro (an Astro slot): shown while the learner chooses,
   * never hydrated element by element; the learner's progress is written into it (`fillDeckProgress`).
   */
  readonly children?: ReactNode;
}

type Session =
  | { readonly type: "choose" }
  | { readonly type: "deck"; readonly deck: Deck; readonly queue: readonly QuestionEntry[]; readonly index: number; readonly finished: boolean }
  | { readonly type: "single"; readonly entry: QuestionEntry }
  | { readonly type: "mock"; readonly items: readonly MockItem[]; readonly index: number; readonly endsAt: number | null; readonly asked: number }
  | { readonly type: "summary"; readonly items: readonly MockItem[]; readonly timedOut: boolean };

/** The question on screen: being loaded, ready with its variant, or failed with a reason. */
type Shown =
  | { readonly state: "loading"; readonly entry: QuestionEntry }
  | { readonly state: "ready"; readonly entry: QuestionEntry; readonly variant: AnyVariant; readonly runtime: BankRuntime; readonly focus: boolean }
  | { readonly state: "failed"; readonly entry: QuestionEntry; readonly seed: number | null; readonly message: string };

const clockText = (ms: number) => {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
};

/**
 * The practice page: decks by lesson, by concept and due today, a question of any kind opened from a
 * deck or a shared link (`?q=<template>&seed=<n>`), mock interviews with a summary, and the learner's
 * progress (kept in this browser; export, import, clear). The bank, the simulator and the grader load
 * the first time a question opens.
 */
export default function PracticeApp({ catalogue, children }: PracticeAppProps) {
  const [stored, setStoredState] = useState<StoredProgress | null>(null);
  const progressRef = useRef<Progress | null>(null);
  const [session, setSession] = useState<Session>({ type: "choose" });
  const [notice, setNotice] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const request = useRef(0);
  const [clock, setClock] = useState(() => Date.now());

  const conceptsOf = useCallback((id: string) => catalogue.questions.find((q) => q.id === id)?.concepts ?? null, [catalogue]);
  const setStored = useCallback((next: StoredProgress) => {
    progressRef.current = next.progress;
    setStoredState(next);
  }, []);
  const progress = stored?.progress ?? null;

  /** Loads the bank (once), draws a fresh seed unless one is given, and shows the variant. */
  const open = useCallback(
    (entry: QuestionEntry, seed: number | null, focus: boolean) => {
      const token = ++request.current;
      setShown({ state: "loading", entry });
      loadBank().then(
        (runtime) => {
          if (token !== request.current) return;
          const template = runtime.findTemplate(entry.id);
          if (!template) {
            setShown({ state: "failed", entry, seed, message: `The question “${entry.title}” is no longer in the bank.` });
            return;
          }
          try {
            const chosen =
              seed ??
              nextSeed(progressRef.current ?? readStoredProgress(new Date(), conceptsOf).progress, entry.id, Math.random, {
                variantKey: (s) => JSON.stringify(template.params(s)),
              });
            setShown({ state: "ready", entry, variant: runtime.makeVariant(template, chosen), runtime, focus });
          } catch (error) {
            setShown({ state: "failed", entry, seed, message: `“${entry.title}” could not be built for this variant: ${(error as Error).message}` });
          }
        },
        () => {
          if (token === request.current) setShown({ state: "failed", entry, seed, message: "The questions could not be loaded; check the connection and try again." });
        },
      );
    },
    [conceptsOf],
  );

  /** Opens what the address asks for: one variant, a deck, or the chooser, with a message for anything it cannot open. */
  const startFromAddress = useCallback(() => {
    const params = new URLSearchParams(location.search);
    const q = params.get("q");
    const deckText = params.get("deck");
    setNotice(null);
    if (q !== null) {
      const parsed = parseVariantParams(q, params.get("seed"), catalogue);
      if (!parsed.ok) {
        setNotice(parsed.message);
        setSession({ type: "choose" });
        setShown(null);
        return;
      }
      setSession({ type: "single", entry: parsed.template });
      open(parsed.template, parsed.seed, false);
      return;
    }
    if (deckText !== null) {
      const parsed = parseDeck(deckText, catalogue);
      if (!parsed.ok) {
        setNotice(parsed.message);
        setSession({ type: "choose" });
        return;
      }
      const queue = deckQuestions(parsed.deck, catalogue, progressRef.current ? dueReviews(progressRef.current, new Date()) : []);
      if (queue.length === 0) {
        setNotice(parsed.deck.type === "due" ? "Nothing is due today: every question you have answered is scheduled for later. Choose another deck below." : "This deck has no questions yet.");
        setSession({ type: "choose" });
        return;
      }
      setSession({ type: "deck", deck: parsed.deck, queue, index: 0, finished: false });
      open(queue[0]!, null, false);
      return;
    }
    setSession({ type: "choose" });
    setShown(null);
  }, [catalogue, open]);

  useEffect(() => {
    // Filling in the learner's history redraws every deck: as a transition, React does it in slices between
    // which the page stays responsive, not as one long task while the page is still loading.
    startTransition(() => setStored(readStoredProgress(new Date(), conceptsOf)));
    startFromAddress();
    window.addEventListener("popstate", startFromAddress);
    return () => window.removeEventListener("popstate", startFromAddress);
  }, [conceptsOf, setStored, startFromAddress]);

  // A variant opened on its own gets its own address, so the learner can share it or come back to it.
  useEffect(() => {
    if (session.type !== "single" || shown?.state !== "ready") return;
    const search = variantSearch(shown.variant.template, shown.variant.seed);
    if (location.search !== search) history.replaceState(null, "", search);
  }, [session.type, shown]);

  // The mock interview's clock.
  const endsAt = session.type === "mock" ? session.endsAt : null;
  useEffect(() => {
    if (endsAt === null) return;
    setClock(Date.now());
    const timer = setInterval(() => setClock(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [endsAt]);
  const finishMock = useCallback((timedOut: boolean) => {
    request.current++;
    setShown(null);
    setSession((s) => (s.type === "mock" ? { type: "summary", items: s.items, timedOut } : s));
  }, []);
  useEffect(() => {
    if (endsAt !== null && clock >= endsAt) finishMock(true);
  }, [clock, endsAt, finishMock]);

  const startMock = (settings: MockSettings) => {
    const pool = deckQuestions(settings.deck, catalogue, progress ? dueReviews(progress, new Date()) : []);
    const picked = draw(pool, Math.min(settings.questions, pool.length), Math.random);
    if (picked.length === 0) {
      setNotice("That deck has no questions to ask. Choose another.");
      return;
    }
    setNotice(null);
    const items: MockItem[] = picked.map((entry) => ({ entry, seed: null, score: null, status: "not reached", labHref: null }));
    setSession({ type: "mock", items, index: 0, endsAt: settings.minutes === null ? null : Date.now() + settings.minutes * 60_000, asked: settings.questions });
    open(picked[0]!, null, true);
  };

  const onReview = useCallback(
    (review: AttemptReview) => {
      if (shown?.state !== "ready") return;
      const { variant, entry } = shown;
      const now = new Date();
      setStored(
        updateStoredProgress(
          now,
          (p) =>
            recordReview(p, {
              template: entry.id,
              seed: variant.seed,
              score: review.score,
              at: now.toISOString(),
              concepts: entry.concepts,
              hints: review.hints,
              revealed: review.revealed,
              ...(review.selfRating === undefined ? {} : { selfRating: review.selfRating }),
            }),
          conceptsOf,
        ),
      );
      const back = review.departureHref ?? (variant.lab ? labHref(variant.lab) : null);
      setSession((s) => {
        if (s.type !== "mock") return s;
        const items = s.items.map((item, i) =>
          i === s.index ? { ...item, seed: variant.seed, score: review.score, status: review.revealed && review.score === 0 ? ("revealed" as const) : ("answered" as const), labHref: back } : item,
        );
        return { ...s, items };
      });
    },
    [shown, conceptsOf, setStored],
  );

  const onNext = useCallback(
    (outcome: AttemptOutcome) => {
      if (shown?.state !== "ready") return;
      const { variant, entry } = shown;
      if (session.type === "single") {
        open(entry, null, true);
        return;
      }
      if (session.type === "deck") {
        const index = session.index + 1;
        if (index >= session.queue.length) {
          setShown(null);
          setSession({ ...session, finished: true });
          return;
        }
        setSession({ ...session, index });
        open(session.queue[index]!, null, true);
        return;
      }
      if (session.type === "mock") {
        const skipped = outcome.attempts === 0 && !outcome.revealed;
        const items = session.items.map((item, i) =>
          i === session.index && skipped ? { ...item, seed: variant.seed, status: "skipped" as const, labHref: variant.lab ? labHref(variant.lab) : null } : item,
        );
        const index = session.index + 1;
        if (index >= items.length) {
          setShown(null);
          setSession({ type: "summary", items, timedOut: false });
          return;
        }
        setSession({ ...session, items, index });
        open(items[index]!.entry, null, true);
      }
    },
    [shown, session, open],
  );

  // The static deck list shows what this browser remembers once it is read, and again whenever it changes
  // (an answer, an import, a clear) or the list comes back on screen.
  const decksRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    if (session.type === "choose" && decksRef.current) fillDeckProgress(decksRef.current, catalogue, progress, new Date());
  }, [session.type, catalogue, progress]);

  const mockDecks = useMemo<Deck[]>(() => {
    const decks: Deck[] = [{ type: "all" }];
    if (progress && dueReviews(progress, new Date()).length > 0) decks.push({ type: "due" });
    for (const l of catalogue.lessons) if (catalogue.questions.some((q) => q.lesson === l.slug)) decks.push({ type: "lesson", slug: l.slug });
    for (const c of Object.keys(catalogue.concepts)) if (catalogue.questions.some((q) => q.concepts.includes(c))) decks.push({ type: "concept", id: c });
    return decks;
  }, [catalogue, progress]);

  const card = (position: string | null, nextLabel: string) => {
    if (shown === null) return null;
    if (shown.state === "loading") {
      return (
        <p className="meta loading" role="status">
          Loading “{shown.entry.title}”…
        </p>
      );
    }
    if (shown.state === "failed") {
      return (
        <div className="load-failed">
          <p className="message" role="alert">
            {shown.message}
          </p>
          <button type="button" onClick={() => open(shown.entry, shown.seed, true)}>
            Try again
          </button>
        </div>
      );
    }
    const { QuestionCard } = shown.runtime;
    const { variant, entry } = shown;
    return (
      <QuestionCard
        key={`${variant.template}:${variant.seed}:${request.current}`}
        variant={variant}
        grade={shown.runtime.gradeAnswer}
        position={position}
        shareSearch={variantSearch(variant.template, variant.seed)}
        history={progress ? templateHistory(progress, entry.id, entry.concepts, new Date()) : null}
        nextLabel={nextLabel}
        onReview={onReview}
        onNext={onNext}
        focusHeading={shown.focus}
      />
    );
  };

  return (
    <div className="practice-app">
      {stored?.warning && (
        <p className="message warning" role="alert">
          {stored.warning}
        </p>
      )}
      {notice && (
        <p className="message notice" role="alert">
          {notice}
        </p>
      )}

      {session.type === "choose" && (
        <>
          <div className="deck-slot" ref={decksRef}>
            {children}
          </div>
          <MockSetup catalogue={catalogue} decks={mockDecks} onStart={startMock} />
        </>
      )}

      {session.type === "deck" && (
        <section className="session" aria-labelledby="session-title">
          <h2 id="session-title">{deckTitle(session.deck, catalogue)}</h2>
          <p className="session-nav">
            <a href="/practice/">All decks</a>
          </p>
          {session.finished ? (
            <div className="deck-done">
              <p>
                That was every question in this deck ({session.queue.length}). Each will come back when the schedule says it is due.
              </p>
              <p>
                <a href={deckHref(session.deck)}>Go through the deck again, with new variants</a>
              </p>
            </div>
          ) : (
            card(`Question ${session.index + 1} of ${session.queue.length}`, session.index + 1 < session.queue.length ? "Next question" : "Finish the deck")
          )}
        </section>
      )}

      {session.type === "single" && (
        <section className="session" aria-labelledby="session-title">
          <h2 id="session-title">One question, one variant</h2>
          <p className="session-nav">
            <a href="/practice/">All decks</a> · <a href={deckHref({ type: "lesson", slug: session.entry.lesson })}>This lesson's deck</a>
          </p>
          {card(null, "Another variant")}
        </section>
      )}

      {session.type === "mock" && (
        <section className="session mock" aria-labelledby="session-title">
          <h2 id="session-title">Mock interview</h2>
          <div className="mock-bar">
            <p>
              Question {session.index + 1} of {session.items.length}
              {session.items.length < session.asked && <span className="meta"> (the deck has only {session.items.length})</span>}
            </p>
            {session.endsAt !== null && (
              <>
                <p className="timer" role="timer" aria-live="off">
                  Time left: {clockText(session.endsAt - clock)}
                </p>
                <p className="visually-hidden" aria-live="polite">
                  {session.endsAt - clock <= 60_000 ? "One minute left." : ""}
                </p>
              </>
            )}
            <button type="button" onClick={() => finishMock(false)}>
              End the interview now
            </button>
          </div>
          {card(null, session.index + 1 < session.items.length ? "Next question" : "Finish and see the summary")}
        </section>
      )}

      {session.type === "summary" && progress && (
        <MockSummary
          items={session.items}
          catalogue={catalogue}
          progress={progress}
          timedOut={session.timedOut}
          onAgain={() => setSession({ type: "choose" })}
        />
      )}

      <ProgressControls progress={progress} conceptsOf={conceptsOf} onStored={setStored} />
    </div>
  );
}
