using System.Diagnostics.CodeAnalysis;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using Microsoft.Extensions.Options;

namespace CommerceOS.Core.Marketplaces;

/// <summary>
/// Checks a photo made anywhere against a marketplace's main-image rules, for the compliance page
/// and <c>POST /api/v1/compliance/check</c>. Nothing is stored: the bytes are read under the upload
/// size limit, measured, and dropped. Any member may check.
/// </summary>
/// <remarks>
/// The checker's own fix whitens near-white backgrounds and re-frames; a photo on a grey or tinted
/// sweep needs the product cut out first, so when that fix is missing or still fails, the studio's
/// main-image path (cut-out, then a white canvas at the marketplace's fill) is tried, and offered
/// only when the cut-out is confident and the result passes.
/// </remarks>
public sealed class CheckCompliance(
    IComplianceChecker checker,
    IMarketplaceCatalog catalog,
    ICutoutEngine cutouts,
    IImageComposer composer,
    IOptions<AssetsOptions> options)
{
    /// <param name="Overlay">Also render the overlay that highlights offending pixels.</param>
    /// <param name="Fix">Also produce the automatic fix when one exists.</param>
    public sealed record Request(Stream Content, string? Marketplace, bool Overlay = false, bool Fix = false);

    /// <param name="Size">Bytes of the checked file.</param>
    public sealed record Response(
        ComplianceReport? Report,
        long Size,
        EncodedImage? Overlay,
        ComplianceFix? Fix,
        UploadRejection? Rejection,
        bool UnknownMarketplace)
    {
        [MemberNotNullWhen(true, nameof(Report))]
        public bool Succeeded => Report is not null;
    }

    public async Task<Response> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (catalog.Find(request.Marketplace ?? string.Empty) is not { } marketplace)
        {
            return new Response(null, 0, null, null, null, UnknownMarketplace: true);
        }

        var (data, refused) = await UntrustedUpload.ReadAsync(request.Content, options.Value.MaxUploadBytes, cancellationToken);
        if (data is null)
        {
            return new Response(null, 0, null, null, refused, false);
        }

        try
        {
            var report = checker.Check(data, marketplace);
            var overlay = request.Overlay ? checker.RenderOverlay(data, marketplace) : null;
            var fix = request.Fix && !report.Passed ? checker.Fix(data, marketplace) : null;
            if (request.Fix && !report.Passed && fix is not { After.Passed: true })
            {
                fix = CutoutFix(data, marketplace, report) ?? fix;
            }

            return new Response(report, data.LongLength, overlay, fix, null, false);
        }
        catch (ImageRejectedException e)
        {
            return new Response(null, 0, null, null, UntrustedUpload.Rejection(e), false);
        }
    }

    private ComplianceFix? CutoutFix(byte[] data, MarketplaceProfile marketplace, ComplianceReport before)
    {
        // A busy photo, or one with nothing separable (confidence 0), has no honest fix.
        var cut = cutouts.Cut(data);
        if (cut.Confidence < GenerateImagesJob.LowConfidence)
        {
            return null;
        }

        var provenance = new XmpProvenance(DigitalSourceType.CompositeSynthetic, GenerateImagesJob.LocalEngine, "compliance-fix-cutout/1");
        var image = composer.MainImage(cut.Product, marketplace.Main, contactShadow: false, new OutputSpec(marketplace.Main.Format, provenance, Watermark: false, MaxBytes: marketplace.Main.MaxBytes));
        var after = checker.Check(image.Bytes, marketplace);
        return after.Passed
            ? new ComplianceFix(image, before.Rules.Where(r => !r.Passed).Select(r => r.Kind).ToList(), after)
            : null;
    }
}
