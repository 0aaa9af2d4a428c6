namespace CommerceOS.Connectors.Images;

/// <summary>
/// Settings every remote image and video provider shares (sections <c>Flux</c>, <c>Fal</c>, <c>Kling</c>, <c>Veo</c>).
/// Keys are declared by each provider (one API key, or Kling's key pair) and checked with <see cref="RequireSecret"/>.
/// </summary>
public abstract class RemoteProviderOptions
{
    /// <summary>Wait between two status polls of a submitted task.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// How long one attempt polls a task before giving up with <c>Timeout</c>. The task keeps running
    /// at the vendor, so the job's retry resumes it instead of paying again.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Deadline of one HTTP attempt (a poll, a download, a submit).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of one idempotent HTTP call (polls, downloads; a submit only after a 429).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off delay; doubles with jitter when the vendor gives no Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A Retry-After longer than this is not slept inside a worker: the call fails with
    /// <c>RateLimited</c> and the job is rescheduled after that delay instead.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A secret is set from an environment variable (<c>Fal__ApiKey</c>) or user secrets, never in a committed
    /// appsettings file; the message says so.
    /// </summary>
    internal static void RequireSecret(string section, string name, string? value, string selectedBy, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{section}:{name} is empty but {selectedBy} selects this provider. Set it from the environment variable {section}__{name} or with `dotnet user-secrets set {section}:{name} <key>`; keep keys out of appsettings files.");
        }
    }

    internal void Validate(string section, List<string> failures)
    {
        ValidatePacing($"{section}:PollInterval", PollInterval, $"{section}:Timeout", Timeout, failures);

        if (AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add($"{section}:AttemptTimeout must be positive (e.g. 00:01:00).");
        }

        if (MaxRetries is < 0 or > 10)
        {
            failures.Add($"{section}:MaxRetries must be between 0 and 10.");
        }

        if (RetryBaseDelay <= TimeSpan.Zero)
        {
            failures.Add($"{section}:RetryBaseDelay must be positive.");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add($"{section}:MaxRetryAfter must not be negative.");
        }
    }

    internal static void ValidatePacing(string intervalKey, TimeSpan interval, string timeoutKey, TimeSpan timeout, List<string> failures)
    {
        if (interval <= TimeSpan.Zero)
        {
            failures.Add($"{intervalKey} must be positive (e.g. 00:00:10).");
        }

        if (timeout <= TimeSpan.Zero || timeout < interval)
        {
            failures.Add($"{timeoutKey} must be positive and at least {intervalKey} (e.g. 00:15:00).");
        }
    }

    /// <summary>HTTPS, or plain HTTP to a loopback address (local fakes and tests only).</summary>
    internal static void ValidateBaseUrl(string key, string? value, List<string> failures)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !ProviderHttp.IsAllowedScheme(uri))
        {
            failures.Add($"{key} must be an absolute https:// URL (plain http only to a loopback address), not '{value}'.");
        }
    }

    internal static void ValidateModel(string key, string? value, List<string> failures)
    {
        if (!IsModelId(value))
        {
            failures.Add($"{key} must be a model id such as 'flux-pro-1.1' or 'fal-ai/flux-pro/kontext' (letters, digits, '.', '_', '-', '/' between segments), not '{value}'.");
        }
    }

    /// <summary>A path of plain segments: safe to append to a base URL (a model id, an operation name).</summary>
    internal static bool IsModelId(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 200)
        {
            return false;
        }

        // The model id becomes a URL path: refuse anything that could change the path's meaning.
        foreach (var segment in value.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }

            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
