using System.Text.RegularExpressions;
using CommerceOS.Core.Accounts;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Generation;
using CommerceOS.Core.Jobs;
using CommerceOS.Core.Workspaces;

namespace CommerceOS.Core.Publishing;

/// <param name="Credentials">Field name → value, as declared by the platform's <see cref="IMarketplacePublisher.Fields"/>.</param>
public sealed record ConnectInput(string? Platform, string? Name, IReadOnlyDictionary<string, string?>? Credentials);

/// <summary>A connection as the seller sees it: never its credentials.</summary>
public sealed record ConnectionView(
    Guid Id,
    string Platform,
    string Name,
    string? AccountLabel,
    ConnectionStatus Status,
    string? LastErrorCode,
    DateTime? LastCheckedAt,
    DateTime CreatedAt,
    DateTime? DisconnectedAt,
    bool RevokedAtPlatform)
{
    public static ConnectionView Of(MarketplaceConnection c) =>
        new(c.Id, c.Platform, c.Name, c.AccountLabel, c.Status, c.LastErrorCode, c.LastCheckedAt, c.CreatedAt, c.DisconnectedAt, c.RevokedAtPlatform);
}

/// <summary>
/// Connects a store: checks the fields, tests the credentials against the platform (exchanging an authorisation code or
/// refreshing a token on the way), then, in one transaction, admits the connection against the plan's gauge and stores
/// the credentials encrypted. A refusal at any step saves nothing. Admins and owners.
/// </summary>
public sealed class ConnectMarketplace(
    AppDbContext db,
    WorkspaceContext workspace,
    MarketplacePublishers publishers,
    ConnectionSecrets secrets,
    UsageLedger ledger,
    AuditLog audit,
    CategoryTrees trees,
    IJobScheduler scheduler,
    TimeProvider time)
{
    public const int MaxValueLength = 4000;

    /// <summary>A platform that does not answer the test within this is reported unreachable.</summary>
    public static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(45);

    public async Task<Result<ConnectionView>> HandleAsync(ConnectInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!workspace.Can(WorkspaceRole.Admin))
        {
            return Result.Forbidden();
        }

        var publisher = publishers.Find(input.Platform);
        if (publisher is null)
        {
            return Result.Invalid("platform", PublishingErrors.PlatformUnknown, string.Join(", ", publishers.All.Select(p => p.Platform).Order(StringComparer.Ordinal)));
        }

        var errors = new List<FieldError>();
        var name = string.IsNullOrWhiteSpace(input.Name) ? publisher.Platform : input.Name.Trim();
        if (name.Length > MarketplaceConnection.MaxNameLength)
        {
            errors.Add(FieldError.Of("name", PublishingErrors.NameTooLong, MarketplaceConnection.MaxNameLength));
        }

        var values = CheckCredentials(publisher, input.Credentials, errors);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var workspaceId = workspace.RequiredWorkspaceId;
        var (used, limit) = await ledger.GetConnectionsGaugeAsync(workspaceId, cancellationToken);
        if (limit is { } max && used >= max)
        {
            // Before the test: some platforms' authorisation codes are single-use.
            return Result.Conflict("", PublishingErrors.ConnectionLimit, used, max);
        }

        var connection = new MarketplaceConnection
        {
            WorkspaceId = workspaceId,
            Platform = publisher.Platform,
            Name = name,
            CreatedByUserId = workspace.UserId,
        };
        var session = new MarketplaceSession(connection.Id, publisher.Platform, values);
        var check = await TestAsync(publisher, session, cancellationToken);
        if (!check.IsSuccess)
        {
            return check.WithoutValue();
        }

        var now = time.GetUtcNow().UtcDateTime;
        connection.AccountLabel = AuditLog.Sanitize(check.Value.AccountLabel, 200);
        connection.Status = ConnectionStatus.Active;
        connection.LastCheckedAt = now;
        connection.CreatedAt = now;
        connection.ProtectedCredentials = secrets.Protect(connection, session.Values);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ledger.TryAddConnectionAsync(workspaceId, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            var (nowUsed, nowLimit) = await ledger.GetConnectionsGaugeAsync(workspaceId, cancellationToken);
            return Result.Conflict("", PublishingErrors.ConnectionLimit, nowUsed, nowLimit ?? nowUsed);
        }

        db.MarketplaceConnections.Add(connection);
        // The platform's own categories are read in the background, for the suggestions on the product's publish page.
        await trees.ScheduleAsync(db, scheduler, connection, cancellationToken);
        audit.Add(PublishingAudit.Connect, AuditOutcomes.Success, workspace.UserId, workspaceId, $"{connection.Platform}:{connection.Id}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ConnectionView.Of(connection);
    }

    /// <summary>
    /// Runs the platform's test with <see cref="TestTimeout"/>: refused credentials are the seller's to fix (Invalid on
    /// <c>credentials</c>), anything else says the platform could not be reached.
    /// </summary>
    internal static async Task<Result<ConnectionCheck>> TestAsync(IMarketplacePublisher publisher, MarketplaceSession session, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestTimeout);
        try
        {
            return await publisher.TestAsync(session, timeout.Token);
        }
        catch (ProviderException e) when (e.Failure is ProviderFailure.Misconfigured or ProviderFailure.Rejected)
        {
            return Result.Invalid("credentials", PublishingErrors.CredentialsRefused);
        }
        catch (Exception e) when (e is ProviderException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Result.Conflict("", PublishingErrors.Unreachable);
        }
    }

    /// <summary>The declared fields only: required ones present, patterns matched, defaults filled in, unknown names refused.</summary>
    internal static Dictionary<string, string> CheckCredentials(IMarketplacePublisher publisher, IReadOnlyDictionary<string, string?>? given, List<FieldError> errors)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        given ??= new Dictionary<string, string?>();
        foreach (var key in given.Keys.Where(k => publisher.Fields.All(f => f.Name != k)))
        {
            errors.Add(new FieldError($"credentials.{AuditLog.Sanitize(key, 40)}", PublishingErrors.FieldUnknown));
        }

        foreach (var field in publisher.Fields)
        {
            var value = given.TryGetValue(field.Name, out var raw) ? raw?.Trim() : null;
            if (string.IsNullOrEmpty(value))
            {
                value = field.Default;
            }

            if (string.IsNullOrEmpty(value))
            {
                if (field.Required)
                {
                    errors.Add(new FieldError($"credentials.{field.Name}", PublishingErrors.FieldRequired));
                }

                continue;
            }

            if (value.Length > MaxValueLength || (field.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            {
                errors.Add(new FieldError($"credentials.{field.Name}", PublishingErrors.FieldInvalid));
                continue;
            }

            values[field.Name] = value;
        }

        return values;
    }
}
