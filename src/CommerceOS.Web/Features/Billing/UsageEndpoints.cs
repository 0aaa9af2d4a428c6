using CommerceOS.Core.Billing;
using CommerceOS.Core.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommerceOS.Web.Features.Billing;

/// <summary><c>/api/v1/usage</c>: used, limit and period end per meter for the caller's workspace.</summary>
public static class UsageEndpoints
{
    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", GetAsync).WithTags("Usage");
        return api;
    }

    /// <param name="Limit">Null: unlimited.</param>
    /// <param name="PeriodEnd">Null for gauges (connections), which have no period.</param>
    public sealed record MeterResponse(string Meter, long Used, long? Limit, DateTime? PeriodEnd);

    public sealed record UsageResponse(IReadOnlyList<MeterResponse> Meters);

    private static async Task<Ok<UsageResponse>> GetAsync(UsageLedger ledger, WorkspaceContext workspace, CancellationToken cancellationToken)
    {
        var usage = await ledger.GetUsageAsync(workspace.RequiredWorkspaceId, cancellationToken);
        return TypedResults.Ok(new UsageResponse(usage.Select(u => new MeterResponse(u.Meter, u.Used, u.Limit, u.PeriodEnd)).ToList()));
    }
}
