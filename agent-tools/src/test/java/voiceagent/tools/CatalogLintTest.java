package voiceagent.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogLintTest {

  record Booking(
      @ToolParam(description = "Guest's full name") String name,
      @ToolParam(description = "Date, YYYY-MM-DD") String date,
      @ToolParam(description = "Time, HH:MM") String time,
      @ToolParam(description = "Number of guests") int guests,
      @ToolParam(description = "Phone number") String phone,
      @ToolParam(description = "Special requests") String notes) {}

  record Note(@ToolParam(description = "The text of the note, which should be written in full sentences and will be"
      + " read back to the caller later in the conversation when they ask for it") String text) {}

  private static Tool tool(String name, String description, Class<? extends Record> parameters) {
    return Tool.builder(name).description(description).parameters(parameters).handler(json -> "ok").build();
  }

  @Test
  void flagsTwoSentenceDescriptionsButNotAbbreviations() {
    Tool chatty = Tool.builder("time").description("Tells the time. Use it when asked.").handler(json -> "x").build();
    Tool terse = Tool.builder("date").description("Tells the date, e.g. Monday 3 May.").handler(json -> "x").build();

    List<LintWarning> warnings = CatalogLint.lint(ToolRegistry.of(chatty, terse));

    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals("time", warnings.get(0).tool());
    assertEquals("description has 2 sentences; use one", warnings.get(0).message());
    assertEquals(CatalogLint.tokens(chatty), warnings.get(0).tokens());
  }

  @Test
  void flagsAToolOverTheTokenBudget() {
    Tool booking = tool("book_table", "Books a table.", Booking.class);
    int tokens = CatalogLint.tokens(booking);
    assertTrue(tokens > CatalogLint.DEFAULT_TOKEN_BUDGET, "fixture is over budget: " + tokens);

    List<LintWarning> warnings = CatalogLint.lint(ToolRegistry.of(booking));

    assertEquals(List.of(new LintWarning("book_table", "costs " + tokens + " tokens, over the budget of 60", tokens)),
        warnings);
    assertTrue(CatalogLint.lint(ToolRegistry.of(booking), tokens).isEmpty(), "a larger budget accepts it");
  }

  @Test
  void flagsALongParameterDescription() {
    Tool note = tool("note", "Saves a note.", Note.class);

    List<LintWarning> warnings = CatalogLint.lint(ToolRegistry.of(note), 1_000);

    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).message().startsWith("parameter text: description is "), warnings.get(0).message());
  }

  @Test
  void tokensCountTheCanonicalCatalogEntry() {
    Tool small = Tool.builder("ping").description("Checks the line.").handler(json -> "pong").build();
    Tool large = tool("book_table", "Books a table.", Booking.class);
    assertTrue(CatalogLint.tokens(small) > 10 && CatalogLint.tokens(small) < CatalogLint.tokens(large));
  }

  private static Tool withSchema(String json) throws Exception {
    ObjectNode schema = (ObjectNode) new ObjectMapper().readTree(json);
    return Tool.builder("book").description("Books a table.").parameters(schema).handler(args -> "ok").build();
  }

  @Test
  void flagsAnUnknownSchemaTypeWithTheNearestOne() throws Exception {
    Tool tool = withSchema("""
        {"type":"object","properties":{"city":{"type":"strng"},"days":{"type":["integer","nul"]},
         "stops":{"type":"array","items":{"type":"numbr"}}}}""");

    List<String> messages = CatalogLint.lint(ToolRegistry.of(tool), 1000).stream().map(LintWarning::message).toList();

    assertEquals(List.of("parameter city: unknown type \"strng\" (did you mean string?)",
        "parameter days: unknown type \"nul\" (did you mean null?)",
        "parameter stops[]: unknown type \"numbr\" (did you mean number?)"), messages);
  }

  @Test
  void flagsARequiredNameMissingFromProperties() throws Exception {
    Tool tool = withSchema("""
        {"type":"object","properties":{"city":{"type":"string"},
         "guest":{"type":"object","properties":{"name":{"type":"string"}},"required":["nmae"]}},
         "required":["citty","guest"]}""");

    List<String> messages = CatalogLint.lint(ToolRegistry.of(tool), 1000).stream().map(LintWarning::message).toList();

    assertEquals(List.of("parameters: required \"citty\" is not in properties (did you mean \"city\"?)",
        "parameter guest: required \"nmae\" is not in properties (did you mean \"name\"?)"), messages);
  }

  @Test
  void aCorrectSchemaHasNoSchemaWarnings() throws Exception {
    Tool tool = withSchema("""
        {"type":"object","properties":{"city":{"type":"string"},"days":{"type":["integer","null"]}},
         "required":["city"]}""");

    assertEquals(List.of(), CatalogLint.lint(ToolRegistry.of(tool), 1000));
  }
}
