package voiceagent.core.internal.turn;

import voiceagent.common.Clock;
import voiceagent.core.AgentConfig;
import voiceagent.core.ElectronClient;
import voiceagent.core.Prices;
import voiceagent.tools.ToolExecutor;

/**
 * Everything the turns of one agent share across calls: its configuration, the Electron client, the tool executor,
 * prices, metrics, the agent-wide prefix reference and the clock.
 *
 * <p>Thread contract: immutable; every component is thread-safe.
 */
public record AgentRuntime(
    AgentConfig config,
    ElectronClient electron,
    String model,
    ToolExecutor tools,
    Prices prices,
    TurnMetrics metrics,
    AgentPrefix prefix,
    Clock clock) {}
