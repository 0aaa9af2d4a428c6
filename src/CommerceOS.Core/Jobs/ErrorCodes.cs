using System.Text.RegularExpressions;

namespace CommerceOS.Core.Jobs;

/// <summary>What a seller may see of <see cref="Job.LastError"/>: a stable code, never an exception text.</summary>
public static partial class ErrorCodes
{
    public const string ServerError = "common.server_error";

    /// <summary>The code itself when the job failed with one (a rejection), else <see cref="ServerError"/>; null without an error.</summary>
    public static string? Of(string? lastError) => lastError switch
    {
        null => null,
        _ when CodePattern().IsMatch(lastError) => lastError,
        _ => ServerError,
    };

    [GeneratedRegex("^[a-z0-9_]+(\\.[a-z0-9_]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
