using CommerceOS.Core.Common;
using CommerceOS.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CommerceOS.Core.Catalog;

internal static class BrandWriter
{
    /// <summary>Rules, the logo asset and the case-insensitive name check, in that order.</summary>
    public static async Task<Result> CheckAsync(AppDbContext db, BrandInput input, Guid? brandId, CancellationToken cancellationToken)
    {
        var errors = BrandValidator.Validate(input);
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }

        if (input.LogoAssetId is { } logo && !await db.Assets.AnyAsync(a => a.Id == logo, cancellationToken))
        {
            return Result.Invalid("logoAssetId", CatalogErrors.AssetNotFound);
        }

        var lowered = input.Name!.ToLowerInvariant();
#pragma warning disable CA1304, CA1311, CA1862 // ToLower() is translated to SQL lower(); string.Equals with a comparison is not.
        var taken = await db.Brands.AnyAsync(b => b.Name.ToLower() == lowered && b.Id != brandId, cancellationToken);
#pragma warning restore CA1304, CA1311, CA1862
        return taken ? Result.Conflict("name", CatalogErrors.BrandNameTaken, input.Name) : Result.Ok();
    }

    public static void Apply(Brand brand, BrandInput input)
    {
        brand.Name = input.Name!;
        brand.Voice = input.Voice;
        brand.Tone = input.Tone;
        brand.Palette = [.. input.Palette ?? []];
        brand.Fonts = input.Fonts ?? brand.Fonts;
        brand.LogoAssetId = input.LogoAssetId;
        brand.BannedWords = [.. input.BannedWords ?? []];
        brand.Glossary = [.. input.Glossary ?? []];
    }
}
