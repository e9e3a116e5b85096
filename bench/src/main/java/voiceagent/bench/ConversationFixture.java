package voiceagent.bench;

import java.util.ArrayList;
import java.util.List;
import voiceagent.core.ChatMessage;

/**
 * A realistic phone conversation for the request benchmarks: a long system prompt, one static-context message, a
 * four-tool catalog, and a history that cycles through user questions (some with accents and emoji), spoken answers,
 * and tool calls with their results.
 */
final class ConversationFixture {
  static final String MODEL = "electron";
  /** 449 characters; its last sentence is repeated to give the prompt some weight. */
  static final String SYSTEM_PROMPT = "You are the phone assistant of Chez Marcel, a restaurant in Lyon. Speak in short "
      + "sentences, one question at a time. Never read out URLs or ids. Confirm names, dates and party sizes before "
      + "booking. " + "If the caller asks for something you cannot do, offer to transfer them to a person. ".repeat(3);
  static final String STATIC_CONTEXT = "Opening hours: Tuesday to Saturday, 12:00-14:00 and 19:00-22:30. Closed on "
      + "Sunday and Monday. Tables seat 2, 4 or 6; larger parties need the private room (call back during the day).";
  static final String TOOLS_JSON = "[" + tool("check_availability", "Free tables for a party size on a date and time.",
      "{\"properties\":{\"date\":{\"type\":\"string\"},\"party\":{\"type\":\"integer\"},\"time\":{\"type\":\"string\"}},"
          + "\"required\":[\"date\",\"time\",\"party\"],\"type\":\"object\"}")
      + "," + tool("book_table", "Book a table; returns a confirmation code.",
      "{\"properties\":{\"date\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"party\":{\"type\":\"integer\"},"
          + "\"phone\":{\"type\":\"string\"},\"time\":{\"type\":\"string\"}},\"required\":[\"date\",\"time\",\"party\","
          + "\"name\"],\"type\":\"object\"}")
      + "," + tool("cancel_booking", "Cancel a booking by its confirmation code.",
      "{\"properties\":{\"code\":{\"type\":\"string\"}},\"required\":[\"code\"],\"type\":\"object\"}")
      + "," + tool("transfer_call", "Transfer the caller to a person.",
      "{\"properties\":{\"reason\":{\"type\":\"string\"}},\"required\":[\"reason\"],\"type\":\"object\"}")
      + "]";

  private ConversationFixture() {}

  private static String tool(String name, String description, String parameters) {
    return "{\"function\":{\"description\":\"" + description + "\",\"name\":\"" + name + "\",\"parameters\":"
        + parameters + "},\"type\":\"function\"}";
  }

  /** {@code count} history messages, starting with the per-call context message. */
  static List<ChatMessage> history(int count) {
    List<ChatMessage> out = new ArrayList<>(count);
    out.add(ChatMessage.system("Call context:\ncaller: +33 4 72 00 00 00\nlanguage: fr-FR"));
    for (int turn = 0; out.size() < count; turn++) {
      out.add(ChatMessage.user(turn % 3 == 0
          ? "Bonjour, je voudrais réserver pour " + (turn % 5 + 2) + " personnes vendredi soir à 20 h, c'est possible ? 🙂"
          : "Could we maybe move it to " + (18 + turn % 4) + ":30 instead, and is there a table by the window?"));
      if (turn % 2 == 0 && out.size() + 2 <= count) {
        String id = "call_" + turn;
        out.add(ChatMessage.assistant("Let me check that for you.", List.of(new ChatMessage.ToolCallRef(id,
            "check_availability", "{\"date\":\"2026-12-11\",\"time\":\"20:00\",\"party\":" + (turn % 5 + 2) + "}"))));
        out.add(ChatMessage.tool(id, "{\"available\":true,\"tables\":[{\"seats\":4,\"window\":true},"
            + "{\"seats\":6,\"window\":false}]}"));
      }
      if (out.size() < count) {
        out.add(ChatMessage.assistant("Yes, Friday at eight for " + (turn % 5 + 2) + " works, and I can give you the "
            + "window table. Shall I book it under your name?", List.of()));
      }
    }
    return out;
  }
}
