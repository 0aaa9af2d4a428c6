using CommerceOS.Core.Billing;
using CommerceOS.Core.Generation;
using CommerceOS.Engines.Imaging.Cutout;
using CommerceOS.Tests.Infrastructure;
using CommerceOS.Tests.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CommerceOS.Tests.Api.ApiTestHelpers;
using static CommerceOS.Tests.ImageStudio.ImageStudioApiTests;

namespace CommerceOS.Tests.ImageStudio;

/// <summary>A job given an earlier cut-out (<see cref="ImageJobOptions.CutoutAssetId"/>) uses it only when cutting again would give the same thing.</summary>
public sealed class CutoutReuseTests
{
    [Fact]
    public async Task A_fitting_cutout_is_reused_and_one_that_does_not_fit_is_cut_again()
    {
        var engine = new CountingCutouts(new LocalCutoutEngine());
        await using var app = await AppFactory.StartAsync(DatabaseKind.Sqlite, services: s => s.AddSingleton<ICutoutEngine>(engine));
        using var tenant = await app.CreateApiTenantAsync();
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var (product, photo) = await ProductWithPhotoAsync(tenant.Client, "REUSE-1");
        var (other, _) = await ProductWithPhotoAsync(tenant.Client, "REUSE-2");

        var cutoutJob = await RequestAsync(tenant.Client, product, new { skill = "cutout" });
        await WaitForJobAsync(tenant.Client, cutoutJob);
        var otherJob = await RequestAsync(tenant.Client, other, new { skill = "cutout" });
        await WaitForJobAsync(tenant.Client, otherJob);
        Guid cutout, otherCutout;
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            cutout = await db.Assets.Where(a => a.JobId == cutoutJob).Select(a => a.Id).SingleAsync(Ct);
            otherCutout = await db.Assets.Where(a => a.JobId == otherJob).Select(a => a.Id).SingleAsync(Ct);
        }

        Assert.Equal(2, engine.Cuts);

        // This product's own cut-out of the same photo: no second cut, and the scene says where it came from.
        var reused = await SceneAsync(app, tenant, product, cutout);
        Assert.Equal(2, engine.Cuts);
        Assert.Equal(1, engine.FromAlphas);
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            var scene = await db.Assets.SingleAsync(a => a.JobId == reused, Ct);
            var original = await db.Assets.SingleAsync(a => a.Id == cutout, Ct);
            Assert.Equal(photo, scene.SourceAssetId);
            Assert.Equal(GenerationJson.Provenance(original)!.CutoutConfidence, GenerationJson.Provenance(scene)!.CutoutConfidence);
        }

        // Another product's cut-out is never used: the photo is cut as usual.
        await SceneAsync(app, tenant, product, otherCutout);
        Assert.Equal(3, engine.Cuts);

        // A watermarked cut-out (made on the free plan) would put the mark inside the scene: cut again.
        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Starter);
        var markedJob = await RequestAsync(tenant.Client, product, new { skill = "cutout" });
        await WaitForJobAsync(tenant.Client, markedJob);
        Guid marked;
        await using (var db = app.Database.CreateContext(tenant.WorkspaceId))
        {
            marked = await db.Assets.Where(a => a.JobId == markedJob).Select(a => a.Id).SingleAsync(Ct);
        }

        await app.SetPlanAsync(tenant.WorkspaceId, PlanCatalog.Creator);
        var cutsBefore = engine.Cuts;
        await SceneAsync(app, tenant, product, marked);
        Assert.Equal(cutsBefore + 1, engine.Cuts);
        Assert.Equal(1, engine.FromAlphas);
    }

    private static async Task<Guid> SceneAsync(AppFactory app, ApiTenant tenant, Guid product, Guid cutout)
    {
        var job = await app.AsOwnerAsync(tenant, async s =>
        {
            var result = await s.GetRequiredService<RequestImages>().HandleAsync(
                new ImageJobInput(product, null, ImageSkill.Scene, [], new ImageJobOptions(SceneId: "wooden-desk", Width: 600, Height: 600, CutoutAssetId: cutout)), Ct);
            Assert.True(result.IsSuccess, result.ToString());
            return result.Value.Id;
        });
        var finished = await WaitForJobAsync(tenant.Client, job);
        Assert.Equal("succeeded", finished.GetProperty("status").GetString());
        return job;
    }

    private sealed class CountingCutouts(ICutoutEngine inner) : ICutoutEngine
    {
        private int _cuts;
        private int _fromAlphas;

        public int Cuts => Volatile.Read(ref _cuts);

        public int FromAlphas => Volatile.Read(ref _fromAlphas);

        public CutoutResult Cut(byte[] image, int maxSide = ICutoutEngine.WorkingSide)
        {
            Interlocked.Increment(ref _cuts);
            return inner.Cut(image, maxSide);
        }

        public CutoutResult FromAlpha(byte[] pngWithAlpha, int maxSide = ICutoutEngine.WorkingSide)
        {
            Interlocked.Increment(ref _fromAlphas);
            return inner.FromAlpha(pngWithAlpha, maxSide);
        }
    }
}
