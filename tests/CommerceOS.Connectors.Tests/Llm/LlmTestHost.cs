using System.Collections.Concurrent;
using CommerceOS.Connectors.Llm;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommerceOS.Connectors.Tests.Llm;

/// <summary>The LLM services exactly as the host builds them (AddLlm over configuration), with every log line kept.</summary>
public sealed class LlmTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private LlmTestHost(ServiceProvider services, LogCapture logs)
    {
        _services = services;
        Logs = logs;
    }

    public LogCapture Logs { get; }

    public IChatClient Chat => _services.GetRequiredService<IChatClient>();

    public IStructuredLlm Structured => _services.GetRequiredService<IStructuredLlm>();

    public LlmUsageLedger Ledger => _services.GetRequiredService<LlmUsageLedger>();

    public static LlmTestHost Start(TimeProvider clock, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddLlm(configuration);
        return new LlmTestHost(services.BuildServiceProvider(validateScopes: true), logs);
    }

    /// <summary>Production defaults except where a test says otherwise; the timeout is wide so a busy CI machine cannot trip it.</summary>
    public static Dictionary<string, string?> Settings(FakeOpenAiServer fake, string key = FakeOpenAiServer.Key) => new()
    {
        ["Providers:Llm:BaseUrl"] = fake.BaseUrl,
        ["Providers:Llm:Model"] = "gpt-test-mini",
        ["Providers:Llm:ApiKey"] = key,
        ["Providers:Llm:Timeout"] = "00:10:00",
        ["Providers:Llm:InputPricePerMillionTokens"] = "0.27",
        ["Providers:Llm:OutputPricePerMillionTokens"] = "1.10",
    };

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

public static class SettingsExtensions
{
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string key, string? value)
    {
        settings["Providers:Llm:" + key] = value;
        return settings;
    }
}

/// <summary>Every formatted log line with its exception, to prove a key never reaches a log.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
