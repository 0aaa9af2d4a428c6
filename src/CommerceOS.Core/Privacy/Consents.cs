using CommerceOS.Core.Accounts;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Privacy;

/// <summary>A user's optional consents as they stand: each is off until given (privacy by default).</summary>
/// <param name="History">Every decision, newest first, with the policy version it was made under.</param>
public sealed record ConsentState(bool Analytics, bool QualityImprovement, string PolicyVersion, IReadOnlyList<ConsentDecision> History);

public sealed record ConsentDecision(string Purpose, bool Granted, string Version, DateTime RecordedAt);

/// <summary>
/// The optional consents of privacy policy section 6 and 7: analytics (page-view and device analytics) and "use my usage to
/// improve quality". Each change is a new <see cref="ConsentRecord"/> (append-only, with the policy version), so what was
/// agreed when stays provable; giving and withdrawing are the same one call. A withdrawal applies to the next request:
/// analytics collection reads the latest record every time.
/// </summary>
public sealed class Consents(AppDbContext db, AuditLog audit, LegalVersions versions, TimeProvider time)
{
    public static readonly IReadOnlyList<string> Optional = [ConsentPurposes.Analytics, ConsentPurposes.QualityImprovement];

    public async Task<ConsentState> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var records = await db.ConsentRecords.AsNoTracking()
            .Where(c => c.UserId == userId && Optional.Contains(c.Purpose))
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Id)
            .ToListAsync(cancellationToken);
        bool Latest(string purpose) => records.FirstOrDefault(c => c.Purpose == purpose)?.Granted ?? false;
        return new ConsentState(
            Latest(ConsentPurposes.Analytics),
            Latest(ConsentPurposes.QualityImprovement),
            await versions.CurrentAsync(LegalDocuments.Privacy, cancellationToken),
            [.. records.Select(c => new ConsentDecision(c.Purpose, c.Granted, c.Version, c.RecordedAt))]);
    }

    /// <summary>Whether the user's latest analytics decision is a yes.</summary>
    public Task<bool> AllowsAnalyticsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.ConsentRecords.AsNoTracking()
            .Where(c => c.UserId == userId && c.Purpose == ConsentPurposes.Analytics)
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Id)
            .Select(c => c.Granted)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Records the decisions given (null leaves a purpose as it is); only a change is recorded and audited. A withdrawn
    /// analytics consent also deletes the user's page views.
    /// </summary>
    public async Task<ConsentState> SetAsync(Guid userId, bool? analytics, bool? qualityImprovement, string? ipAddress, CancellationToken cancellationToken)
    {
        var current = await GetAsync(userId, cancellationToken);
        var covering = (await versions.GetAsync(cancellationToken)).CoveringVersions(LegalDocuments.Privacy);
        var now = time.GetUtcNow().UtcDateTime;
        var changed = false;
        foreach (var (purpose, wanted, was) in new[]
                 {
                     (ConsentPurposes.Analytics, analytics, current.Analytics),
                     (ConsentPurposes.QualityImprovement, qualityImprovement, current.QualityImprovement),
                 })
        {
            if (wanted is not { } granted)
            {
                continue;
            }

            // A yes given before the policy's latest material change is recorded again under the new version.
            var renewed = granted && was && !covering.Contains(current.History.First(h => h.Purpose == purpose).Version);
            if (granted == was && !renewed)
            {
                continue;
            }

            db.ConsentRecords.Add(new ConsentRecord { UserId = userId, Purpose = purpose, Version = current.PolicyVersion, Granted = granted, RecordedAt = now });
            audit.Add(PrivacyAudit.ConsentChanged, AuditOutcomes.Success, userId, null, $"{purpose}:{(granted ? "given" : "withdrawn")}", ipAddress: ipAddress);
            changed = true;
        }

        if (!changed)
        {
            return current;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (analytics == false)
        {
            await db.PageViews.Where(v => v.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        }

        return await GetAsync(userId, cancellationToken);
    }
}

public static class PrivacyAudit
{
    public const string ConsentChanged = "privacy.consent_changed";
}
