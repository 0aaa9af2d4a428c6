using System.Globalization;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

/// <summary>How the provider is asked for JSON (external-apis.md section 5.1, <c>response_format</c>).</summary>
public enum LlmJsonMode
{
    /// <summary><c>{"type":"json_schema", ... "strict":true}</c>: OpenAI, vLLM, LM Studio, recent Ollama.</summary>
    JsonSchema = 0,

    /// <summary><c>{"type":"json_object"}</c> with the schema written into the system prompt (DeepSeek, older servers).</summary>
    JsonObject = 1,

    /// <summary>No <c>response_format</c> at all, the schema only in the prompt: for servers that reject the field.</summary>
    PromptOnly = 2,
}

/// <summary>
/// Configuration section <c>Providers:Llm</c>: one OpenAI-compatible chat endpoint (OpenAI, DeepSeek,
/// Qwen/DashScope, Ollama, vLLM, llama.cpp, LM Studio; external-apis.md section 5). Absent (no
/// <see cref="BaseUrl"/>), no LLM is registered and the local engines do the work.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "Providers:Llm";

    /// <summary>
    /// The API root the vendor documents, including its version segment, to which
    /// <c>/chat/completions</c> is appended: <c>https://api.openai.com/v1</c>,
    /// <c>https://api.deepseek.com/v1</c>, <c>https://dashscope-intl.aliyuncs.com/compatible-mode/v1</c>,
    /// <c>http://localhost:11434/v1</c> (Ollama), <c>http://localhost:8000/v1</c> (vLLM).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>Model id as the server names it (<c>gpt-4.1-mini</c>, <c>deepseek-chat</c>, <c>qwen-plus</c>, <c>llama3.1:8b</c>).</summary>
    public string? Model { get; set; }

    /// <summary>
    /// A secret: set it from the environment (<c>Providers__Llm__ApiKey</c>) or user secrets, never in a
    /// committed appsettings file. May be empty only for a server without authentication (Ollama, vLLM
    /// without <c>--api-key</c>).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Requests started in any rolling 60 s, for this provider in this process; callers wait for a slot.</summary>
    public int RequestsPerMinute { get; set; } = 60;

    /// <summary>Requests in flight at once, for this provider in this process; callers wait for a slot.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Deadline of one HTTP attempt, counted from when it is sent (not while queued for a slot).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of one call after 429 <c>rate_limit_exceeded</c>, 5xx, a connection failure or a timeout.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; doubles with jitter when the server sends no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A longer Retry-After is not slept: the call fails as rate limited with that delay, for the job's own back-off.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Price of one million input (prompt) tokens, as a decimal amount in <see cref="Currency"/>
    /// (e.g. 0.15 for $0.15 per 1M). Vendors publish per-million prices with fractions of a cent, and a
    /// single call costs far less than a cent, so minor units would need fractions too: decimal keeps
    /// both exact.
    /// </summary>
    public decimal InputPricePerMillionTokens { get; set; }

    /// <summary>Price of one million output (completion) tokens, as <see cref="InputPricePerMillionTokens"/>.</summary>
    public decimal OutputPricePerMillionTokens { get; set; }

    /// <summary>ISO 4217 code the prices are in: USD by default; DashScope and DeepSeek also bill in CNY.</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>How JSON is requested; <see cref="LlmJsonMode.JsonObject"/> for servers without Structured Outputs.</summary>
    public LlmJsonMode JsonMode { get; set; } = LlmJsonMode.JsonSchema;

    internal bool IsEnabled => !string.IsNullOrWhiteSpace(BaseUrl);

    /// <summary>The host, as the provider's name in usage records and logs (never the key).</summary>
    internal string ProviderName => Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) ? uri.Authority : "llm";

    internal decimal CostOf(long? inputTokens, long? outputTokens) =>
        ((inputTokens ?? 0) * InputPricePerMillionTokens + (outputTokens ?? 0) * OutputPricePerMillionTokens) / 1_000_000m;
}

/// <summary>Stops the host at start with a message naming each wrong key.</summary>
public sealed class LlmOptionsValidator : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var failures = new List<string>();
        const string s = LlmOptions.Section;
        if (!options.IsEnabled)
        {
            // A key or model without a base URL is a half-done setup, not "LLM off".
            if (!string.IsNullOrWhiteSpace(options.ApiKey) || !string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add($"{s}:BaseUrl is empty but {s}:Model or {s}:ApiKey is set. Set {s}:BaseUrl to the OpenAI-compatible API root (e.g. https://api.openai.com/v1 or http://localhost:11434/v1), or remove the section to use the local engines only.");
            }

            return Result(failures);
        }

        var hasKey = !string.IsNullOrWhiteSpace(options.ApiKey);
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            failures.Add($"{s}:BaseUrl must be an absolute http(s) URL without query or credentials, such as https://api.openai.com/v1, not '{options.BaseUrl}'.");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && hasKey)
        {
            // A key only travels over TLS; a keyless self-hosted server on the private network may use HTTP.
            failures.Add($"{s}:BaseUrl must use https:// when {s}:ApiKey is set (plain http only to a loopback address or a server without a key), not '{options.BaseUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.Model) || options.Model.Length > 200 || options.Model.Any(char.IsControl) || options.Model.Trim() != options.Model)
        {
            failures.Add($"{s}:Model must name the model the server serves (e.g. gpt-4.1-mini, deepseek-chat, qwen-plus, llama3.1:8b), not '{options.Model}'.");
        }

        if (!hasKey && uri is not null && !uri.IsLoopback && uri.Scheme == Uri.UriSchemeHttps)
        {
            failures.Add($"{s}:ApiKey is empty but {s}:BaseUrl is a remote https service. Set it from the environment variable Providers__Llm__ApiKey or with `dotnet user-secrets set {s}:ApiKey <key>`; keep keys out of appsettings files.");
        }

        if (options.RequestsPerMinute is < 1 or > 100_000)
        {
            failures.Add($"{s}:RequestsPerMinute must be between 1 and 100000 (the provider's limit for your account tier), not {options.RequestsPerMinute}.");
        }

        if (options.MaxConcurrency is < 1 or > 1_000)
        {
            failures.Add($"{s}:MaxConcurrency must be between 1 and 1000, not {options.MaxConcurrency}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromHours(1))
        {
            failures.Add($"{s}:Timeout must be positive and at most 01:00:00 (e.g. 00:02:00), not {options.Timeout}.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add($"{s}:MaxRetries must be between 0 and 10, not {options.MaxRetries}.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add($"{s}:RetryBaseDelay must be positive (e.g. 00:00:02).");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{s}:MaxRetryAfter must not be negative.");
        }

        if (options.InputPricePerMillionTokens < 0 || options.OutputPricePerMillionTokens < 0)
        {
            failures.Add($"{s}:InputPricePerMillionTokens and {s}:OutputPricePerMillionTokens must not be negative (decimal {options.Currency} per one million tokens, e.g. 0.15).");
        }

        if (options.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{s}:Currency must be an ISO 4217 code in capitals such as USD or CNY, not '{options.Currency}'."));
        }

        if (!Enum.IsDefined(options.JsonMode))
        {
            failures.Add($"{s}:JsonMode must be JsonSchema, JsonObject or PromptOnly.");
        }

        return Result(failures);
    }

    private static ValidateOptionsResult Result(List<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
