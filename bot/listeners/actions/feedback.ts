// "Was this right?": the answer is recorded on the incident, per user and finding.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { IncidentNotFoundError, recordFeedback } from "../../../incidents/index.js";
import type { BotDeps } from "../../deps.js";
import { FEEDBACK_RIGHT, parseFeedbackValue } from "../../render/diagnosis.js";

type Args = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export async function onFeedback({ action, body, ack, respond, logger }: Args, deps: BotDeps): Promise<void> {
  await ack();
  const answer = action.action_id === FEEDBACK_RIGHT ? "right" : "wrong";
  const value = parseFeedbackValue(action.value);
  const say = (text: string) =>
    respond({ response_type: "ephemeral", replace_original: false, text }).catch((err: Error) =>
      logger.warn(`feedback answer not delivered: ${err.message}`),
    );
  if (!value) return void (await say("Sorry, I couldn't read that button."));
  if (!deps.store)
    return void (await say("Thanks! (I couldn't record it: the incident history is unavailable.)"));
  try {
    await recordFeedback(deps.store, value.i, { user: body.user.id, answer, findingId: value.f });
    await say(
      answer === "right"
        ? "Thanks, recorded: the diagnosis was right."
        : "Thanks, recorded: the diagnosis was wrong. A short note in the thread on what it really was helps the next person.",
    );
  } catch (err) {
    if (err instanceof IncidentNotFoundError)
      return void (await say("I no longer have that incident on record."));
    logger.error("could not record feedback:", err);
    await say("Sorry, I couldn't record that just now.");
  }
}
