using System.Text.Json;
using System.Text.Json.Serialization;
using CommerceOS.Core.Generation;

namespace CommerceOS.Connectors.Images;

/// <summary>
/// The opaque <see cref="ProviderTask.State"/> of every remote provider: a small JSON record of ids (never a key, never
/// seller data), read back when a job resumes or downloads.
/// </summary>
internal static class ProviderTaskState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ProviderTask Write<T>(string provider, T state) => new(provider, JsonSerializer.Serialize(state, Json));

    /// <param name="label">The provider as messages name it ("FLUX", "Kling").</param>
    /// <param name="selectedBy">The setting that chose the provider, named when the task belongs to another one.</param>
    /// <param name="complete">Whether the read state has every field it needs.</param>
    public static T Read<T>(ProviderTask task, string provider, string label, string selectedBy, Func<T, bool> complete)
        where T : class
    {
        if (!string.Equals(task.Provider, provider, StringComparison.Ordinal))
        {
            throw new ProviderException(ProviderFailure.Misconfigured, $"Cannot resume a '{task.Provider}' task with the {label} provider ({selectedBy} changed since it was submitted).");
        }

        try
        {
            if (JsonSerializer.Deserialize<T>(task.State, Json) is { } state && complete(state))
            {
                return state;
            }
        }
        catch (JsonException)
        {
        }

        throw new ProviderException(ProviderFailure.Misconfigured, $"The stored {label} task state is unreadable; it cannot be resumed.");
    }
}
