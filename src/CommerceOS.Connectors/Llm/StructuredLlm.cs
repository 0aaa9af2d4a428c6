using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CommerceOS.Core.Llm;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CommerceOS.Connectors.Llm;

/// <summary>
/// <see cref="IStructuredLlm"/> over the registered <see cref="IChatClient"/> pipeline. The schema is
/// generated from the record with the same strict serializer options the reply is read with, sent as
/// <c>response_format</c> json_schema (or json_object / prompt only, per <c>Providers:Llm:JsonMode</c>),
/// and every reply is checked locally whatever the server promised (external-apis.md 5.2: local models
/// may violate it). A failed attempt is repaired by showing the model its reply and every failure.
/// </summary>
public sealed class StructuredLlm(IChatClient chat, IOptions<LlmOptions> options) : IStructuredLlm
{
    public const int MaxAttemptsLimit = 10;

    private const int MaxListedFailures = 20;

    private static readonly ConcurrentDictionary<Type, (JsonElement Schema, string Text)> Schemas = new();

    /// <summary>
    /// Strict reading: camelCase names exactly, no unknown members, constructor parameters required,
    /// non-nullable references never null, no numbers in strings.
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    public string Model => options.Value.Model ?? "";

    public async Task<StructuredLlmResult<T>> GenerateAsync<T>(
        StructuredLlmRequest request,
        Func<T, IReadOnlyList<LlmRuleFailure>>? validate,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.UserPrompt);
        var settings = options.Value;
        var maxAttempts = Math.Clamp(request.MaxAttempts, 1, MaxAttemptsLimit);
        var (schema, schemaText) = SchemaFor(typeof(T));
        var chatOptions = new ChatOptions
        {
            Temperature = request.Temperature,
            MaxOutputTokens = request.MaxOutputTokens,
            ResponseFormat = settings.JsonMode switch
            {
                LlmJsonMode.JsonSchema => ChatResponseFormat.ForJsonSchema(schema, SchemaName(request.SchemaName)),
                LlmJsonMode.JsonObject => ChatResponseFormat.Json,
                LlmJsonMode.PromptOnly => null,
                _ => throw new InvalidOperationException($"Unknown {LlmOptions.Section}:JsonMode {settings.JsonMode}."),
            },
        }.ForJob(request.JobId);
        chatOptions.AdditionalProperties ??= [];
        chatOptions.AdditionalProperties["strict"] = true;

        var conversation = new List<ChatMessage>
        {
            new(ChatRole.System, SystemPrompt(request.SystemPrompt, schemaText, settings.JsonMode)),
            new(ChatRole.User, request.UserPrompt),
        };
        var usage = LlmUsageTotals.Empty(settings.Currency);
        IReadOnlyList<LlmRuleFailure> failures = [];
        for (var attempt = 1; attempt <= maxAttempts; attempt++)
        {
            var response = await chat.GetResponseAsync(conversation, chatOptions, cancellationToken);
            usage = usage.Add(response.GetLlmUsage() ?? FallbackUsage(response, request.JobId, settings));
            var text = response.Text;
            (var value, failures) = Read<T>(response, text, schema);
            if (value is not null && validate is not null)
            {
                failures = validate(value);
            }

            if (value is not null && failures.Count == 0)
            {
                return new StructuredLlmResult<T>(value, [], attempt, usage);
            }

            if (attempt < maxAttempts)
            {
                // Only the latest reply and its failures: the conversation stays the same size per round.
                conversation.RemoveRange(2, conversation.Count - 2);
                conversation.Add(new ChatMessage(ChatRole.Assistant, string.IsNullOrEmpty(text) ? "(no answer)" : text));
                conversation.Add(new ChatMessage(ChatRole.User, RepairPrompt(failures)));
            }
        }

        return new StructuredLlmResult<T>(null, failures, maxAttempts, usage);
    }

    /// <summary>The reply as <typeparamref name="T"/>, or why not (before the caller's own rules).</summary>
    internal static (T? Value, IReadOnlyList<LlmRuleFailure> Failures) Read<T>(ChatResponse response, string text, JsonElement schema)
        where T : class
    {
        if (response.FinishReason == ChatFinishReason.ContentFilter)
        {
            return (null, [new LlmRuleFailure(LlmErrors.Refused, "The provider's content filter stopped the answer.")]);
        }

        if (response.FinishReason == ChatFinishReason.Length)
        {
            return (null, [new LlmRuleFailure(LlmErrors.Truncated, "The answer was cut off at the output token limit; answer more briefly.")]);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            var refusal = response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().FirstOrDefault();
            return refusal is not null
                ? (null, [new LlmRuleFailure(LlmErrors.Refused, $"The model refused: {refusal.Message}")])
                : (null, [new LlmRuleFailure(LlmErrors.Empty, "The answer was empty; a JSON object was expected.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Unfence(text), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return (null, [new LlmRuleFailure(LlmErrors.MalformedJson, $"The answer is not valid JSON{where}; send one complete JSON object and nothing else.")]);
        }

        using (document)
        {
            var violations = JsonSchemaCheck.Check(schema, document.RootElement);
            if (violations.Count > 0)
            {
                return (null, violations);
            }

            try
            {
                var value = document.RootElement.Deserialize<T>(JsonOptions);
                return value is null
                    ? (null, [new LlmRuleFailure(LlmErrors.SchemaViolation, "$ must be an object, not null", "$")])
                    : (value, []);
            }
            catch (JsonException ex)
            {
                // What the schema cannot say (e.g. a number out of the C# type's range).
                var path = ex.Path ?? "$";
                return (null, [new LlmRuleFailure(LlmErrors.SchemaViolation, $"{path} does not fit the expected shape: {ex.Message.Split(". Path:", 2)[0]}", path)]);
            }
        }
    }

    /// <summary>One enclosing Markdown code fence is taken off (prompt-only servers add it); nothing else is forgiven.</summary>
    private static string Unfence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal) || !trimmed.EndsWith("```", StringComparison.Ordinal) || trimmed.Length < 6)
        {
            return trimmed;
        }

        var firstLineEnd = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return firstLineEnd < 0 ? trimmed : trimmed[(firstLineEnd + 1)..^3].Trim();
    }

    private static string SystemPrompt(string system, string schemaText, LlmJsonMode mode)
    {
        var prompt = new StringBuilder(system.Trim());
        if (prompt.Length > 0)
        {
            prompt.Append("\n\n");
        }

        // json_object mode requires the word JSON in a message (external-apis.md 5.1).
        prompt.Append("Answer with one JSON object only: no prose, no Markdown, no code fences.");
        if (mode != LlmJsonMode.JsonSchema)
        {
            prompt.Append(" It must match this JSON Schema exactly (property names are case-sensitive; no other properties):\n").Append(schemaText);
        }

        return prompt.ToString();
    }

    internal static string RepairPrompt(IReadOnlyList<LlmRuleFailure> failures)
    {
        var prompt = new StringBuilder("Your previous answer was rejected. Fix every problem below, keep everything else, and answer again with the complete corrected JSON object only.\n");
        foreach (var failure in failures.Take(MaxListedFailures))
        {
            prompt.Append("- [").Append(failure.Rule).Append("] ");
            if (failure.Path is { } path && !failure.Detail.StartsWith(path, StringComparison.Ordinal))
            {
                prompt.Append(path).Append(": ");
            }

            prompt.Append(failure.Detail).Append('\n');
        }

        if (failures.Count > MaxListedFailures)
        {
            prompt.Append("- and ").Append(failures.Count - MaxListedFailures).Append(" more of the same kinds.\n");
        }

        return prompt.ToString();
    }

    private static LlmUsage FallbackUsage(ChatResponse response, Guid? jobId, LlmOptions settings)
    {
        var input = response.Usage?.InputTokenCount;
        var output = response.Usage?.OutputTokenCount;
        return new LlmUsage(jobId, settings.ProviderName, settings.Model ?? "", input, output,
            input is null && output is null ? null : settings.CostOf(input, output), settings.Currency, 1, TimeSpan.Zero, default);
    }

    internal static (JsonElement Schema, string Text) SchemaFor(Type type) => Schemas.GetOrAdd(type, static t =>
    {
        var schema = AIJsonUtilities.CreateJsonSchema(t, serializerOptions: JsonOptions);
        return (schema, JsonSerializer.Serialize(schema, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonElement))));
    });

    /// <summary>OpenAI allows <c>^[a-zA-Z0-9_-]{1,64}$</c> as the schema's name.</summary>
    private static string SchemaName(string name)
    {
        var clean = new string([.. name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').Take(64)]);
        return clean.Length == 0 ? "result" : clean;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        };
        options.MakeReadOnly();
        return options;
    }
}
