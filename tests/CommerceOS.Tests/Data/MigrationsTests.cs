using CommerceOS.Core.Billing;
using CommerceOS.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Tests.Data;

public sealed class MigrationsTests
{
    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Model_HasNoChangesWithoutMigration(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var context = database.CreateContext();

        Assert.False(
            context.Database.HasPendingModelChanges(),
            $"The EF model changed without a {kind} migration: run scripts/add-migration.sh <Name>.");
    }

    [Theory]
    [MemberData(nameof(Databases.All), MemberType = typeof(Databases))]
    public async Task Migrations_SeedThePlanCatalogue(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var context = database.CreateContext();

        var plans = await context.Plans.OrderBy(p => p.SortOrder).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([PlanCatalog.Starter, PlanCatalog.Creator, PlanCatalog.Business, PlanCatalog.Enterprise], plans.Select(p => p.Code));
        Assert.Equal([0L, 5_900L, 19_900L, 99_900L], plans.Select(p => p.MonthlyPriceCny));
        Assert.Equal([5L, 200L, 500L, null], plans.Select(p => p.LimitFor(Meters.Images)));
        Assert.Equal([1L, 15L, 60L, null], plans.Select(p => p.LimitFor(Meters.Videos)));
        Assert.Equal([1L, 3L, 10L, null], plans.Select(p => p.LimitFor(Meters.Connections)));
        Assert.All(plans, p => Assert.Null(p.LimitFor(Meters.Copy)));
    }
}
