using System.Text.Json;

namespace CommerceOS.Core.Publishing;

/// <summary>A publication as the API and the Publish Center show it.</summary>
public sealed record PublicationView(
    Guid Id,
    Guid ListingId,
    Guid ProductId,
    Guid ConnectionId,
    string Marketplace,
    PublicationAction Action,
    PublicationStatus Status,
    Guid? JobId,
    DateTime? ScheduledFor,
    string? ExternalId,
    string? ExternalUrl,
    string? ErrorCode,
    IReadOnlyList<ListingIssue> Issues,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt)
{
    public static PublicationView Of(Publication p) => new(
        p.Id, p.ListingId, p.ProductId, p.ConnectionId, p.Platform, p.Action, p.Status, p.JobId, p.ScheduledFor, p.ExternalId, p.ExternalUrl,
        p.ErrorCode, PublicationJson.Issues(p.IssuesJson), p.CreatedAt, p.UpdatedAt, p.CompletedAt);
}

internal static class PublicationJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Write(IReadOnlyList<ListingIssue> issues) => JsonSerializer.Serialize(issues, Options);

    public static IReadOnlyList<ListingIssue> Issues(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<ListingIssue>>(json, Options) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
