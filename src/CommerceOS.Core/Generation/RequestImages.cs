using System.Text.Json;
using CommerceOS.Core.Billing;
using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using CommerceOS.Core.Marketplaces;
using CommerceOS.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Generation;

/// <summary>
/// Starts an Image Studio skill for a product: validates the request, reserves one unit of the
/// images quota per image it will make and schedules the job, all in one transaction, so a refused
/// request changes nothing and an accepted one can never push the workspace past its plan.
/// Editors and above.
/// </summary>
public sealed class RequestImages(
    AppDbContext db,
    WorkspaceContext workspace,
    MeteredJobs metered,
    IMarketplaceCatalog marketplaces,
    IImageComposer composer,
    IEnumerable<IImageProvider> providers)
{
    public const string JobKind = "images.generate";

    public const int MaxMarketplaces = 20;

    public const int MaxPromptLength = 500;

    public async Task<Result<Jobs.Job>> HandleAsync(ImageJobInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!workspace.Can(WorkspaceRole.Editor))
        {
            return Result.Forbidden();
        }

        var products = db.Products.AsNoTracking().Include(p => p.Photos).AsQueryable();
        if (input.Skill == ImageSkill.SizeChart)
        {
            products = products.Include(p => p.Variants);
        }

        var product = await products.FirstOrDefaultAsync(p => p.Id == input.ProductId, cancellationToken);
        if (product is null)
        {
            return Result.NotFound();
        }

        var errors = ValidateShape(input);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        var sourceId = input.SourceAssetId;
        if (input.Skill == ImageSkill.Variants)
        {
            // Variants size an image the studio made for this product.
            if (sourceId is null || !await db.Assets.AnyAsync(a => a.Id == sourceId && a.ProductId == product.Id && a.Skill != null, cancellationToken))
            {
                return Result.Invalid("sourceAssetId", GenerationErrors.SourceNotGenerated);
            }
        }
        else if (ImageSkills.NeedsCutout(input.Skill))
        {
            var photos = product.Photos.OrderBy(p => p.Position).ThenBy(p => p.Id).Select(p => p.AssetId).ToList();
            if (sourceId is null)
            {
                if (photos.Count == 0)
                {
                    return Result.Invalid("sourceAssetId", GenerationErrors.NoPhoto);
                }

                sourceId = photos[0];
            }
            else if (!photos.Contains(sourceId.Value))
            {
                return Result.Invalid("sourceAssetId", GenerationErrors.PhotoNotOfProduct);
            }
        }
        else
        {
            sourceId = null;
        }

        if (input.Options.SceneAssetId is { } sceneAssetId && !await db.Assets.AnyAsync(a => a.Id == sceneAssetId, cancellationToken))
        {
            return Result.Invalid("options.sceneAssetId", GenerationErrors.SceneAssetNotFound);
        }

        // The chart states only the seller's own size data: without it nothing is scheduled or reserved.
        if (input.Skill == ImageSkill.SizeChart && SizeCharts.Build(product) is { Table: null } chart)
        {
            return Result.Invalid("skill", chart.Error ?? SizeCharts.NoSizes);
        }

        if (input.Skill == ImageSkill.Infographic && product.SellingPoints.Count == 0)
        {
            return Result.Invalid("skill", GenerationErrors.NoSellingPoints);
        }

        if (input.Options.AiCutout && !providers.Any(p => p.SupportsBackgroundRemoval))
        {
            return Result.Invalid("options.aiCutout", GenerationErrors.AiCutoutUnavailable);
        }

        var normalized = input with
        {
            SourceAssetId = sourceId,
            Marketplaces = input.Marketplaces.Select(m => marketplaces.Find(m)!.Id).Distinct(StringComparer.Ordinal).ToList(),
        };
        var units = ImagePlanner.Plan(normalized, marketplaces).Count;
        if (units == 0)
        {
            return Result.Invalid("options.template", GenerationErrors.TemplateUnknown);
        }

        // Serialised with the generation shape (enum names), as the handler and the pages read it.
        return await metered.ScheduleAsync(JobKind, product.WorkspaceId, product.Id, JsonSerializer.SerializeToElement(normalized, GenerationJson.Options), workspace.UserId, Meters.Images, units, cancellationToken);
    }

    private List<FieldError> ValidateShape(ImageJobInput input)
    {
        var errors = new List<FieldError>();
        if (!Enum.IsDefined(input.Skill))
        {
            errors.Add(new FieldError("skill", GenerationErrors.SkillUnknown));
            return errors;
        }

        if (input.Marketplaces.Count > MaxMarketplaces)
        {
            errors.Add(FieldError.Of("marketplaces", GenerationErrors.TooManyMarketplaces, MaxMarketplaces));
        }

        for (var i = 0; i < input.Marketplaces.Count; i++)
        {
            if (marketplaces.Find(input.Marketplaces[i] ?? "") is null)
            {
                errors.Add(new FieldError($"marketplaces[{i}]", GenerationErrors.MarketplaceUnknown));
            }
        }

        if (ImageSkills.NeedsMarketplace(input.Skill) && input.Marketplaces.Count == 0)
        {
            errors.Add(new FieldError("marketplaces", GenerationErrors.MarketplaceRequired));
        }

        var options = input.Options;
        if (!Enum.IsDefined(options.Style))
        {
            errors.Add(new FieldError("options.style", GenerationErrors.StyleUnknown));
        }

        if (!Enum.IsDefined(options.Layout))
        {
            errors.Add(new FieldError("options.layout", GenerationErrors.LayoutUnknown));
        }

        if (options.SceneId is { } sceneId && !composer.BuiltInScenes.Any(s => s.Id == sceneId))
        {
            errors.Add(new FieldError("options.sceneId", GenerationErrors.SceneUnknown));
        }

        if (options.Prompt is { Length: > MaxPromptLength })
        {
            errors.Add(FieldError.Of("options.prompt", GenerationErrors.PromptTooLong, MaxPromptLength));
        }

        foreach (var (field, value) in new[] { ("options.width", options.Width), ("options.height", options.Height) })
        {
            if (value is { } side && side is < ImagePlanner.MinSide or > ImagePlanner.MaxSide)
            {
                errors.Add(FieldError.Of(field, GenerationErrors.SizeInvalid, ImagePlanner.MinSide, ImagePlanner.MaxSide));
            }
        }

        return errors;
    }
}
