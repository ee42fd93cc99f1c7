package io.velo.failure;

import java.util.Locale;

/** What happens to a record that fails (decode, evaluation, sink). */
public enum FailureStrategy {
    LOG_AND_CONTINUE, SEND_TO_DLQ, FAIL_BATCH, RETRY_WITH_BACKOFF;

    public static FailureStrategy parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "logandcontinue": return LOG_AND_CONTINUE;
            case "sendtodlq": return SEND_TO_DLQ;
            case "failbatch": return FAIL_BATCH;
            case "retrywithbackoff": return RETRY_WITH_BACKOFF;
            default: throw new IllegalArgumentException("unknown failure strategy " + text);
        }
    }
}
