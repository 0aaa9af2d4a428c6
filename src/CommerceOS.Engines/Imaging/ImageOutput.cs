using System.Globalization;
using System.Security;
using System.Text;
using CommerceOS.Core.Assets;
using CommerceOS.Core.Generation;
using NetVips;

namespace CommerceOS.Engines.Imaging;

/// <summary>
/// The last step of every generated image: free-plan watermark, AI-provenance XMP (IPTC
/// DigitalSourceType) and encoding. One place, so no renderer can forget the provenance.
/// </summary>
public static class ImageOutput
{
    public const string XmpField = "xmp-data";

    private const string CosNamespace = "https://commerceos.dev/ns/provenance/1.0/";

    /// <summary>Finishes <paramref name="image"/> (3 or 4 bands, uchar sRGB) as <paramref name="spec"/> says.</summary>
    public static EncodedImage Encode(Image image, OutputSpec spec)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(spec);
        using var owned = new VipsScope();
        var working = image;
        if (spec.Format == ImageFormat.Jpeg && working.HasAlpha())
        {
            working = owned.Add(working.Flatten(background: [255, 255, 255]));
        }

        if (spec.Watermark)
        {
            working = owned.Add(Watermark.Apply(working));
        }

        var xmp = BuildXmp(spec.Provenance);
        working = owned.Add(working.Mutate(m => m.Set(GValue.BlobType, XmpField, xmp)));
        var bytes = Save(working, spec.Format, spec.Quality);
        if (spec.MaxBytes is { } max && bytes.LongLength > max && spec.Format is ImageFormat.Jpeg or ImageFormat.WebP)
        {
            // Optimised Huffman tables first (about 7 % smaller at q90, same pixels), then lower the quality in
            // steps until the file fits; the pixel size is the marketplace's and stays.
            if (spec.Format == ImageFormat.Jpeg)
            {
                bytes = Save(working, spec.Format, spec.Quality, optimizeCoding: true);
            }

            for (var quality = spec.Quality - 5; quality >= 60 && bytes.LongLength > max; quality -= 5)
            {
                bytes = Save(working, spec.Format, quality, optimizeCoding: true);
            }
        }

        return new EncodedImage(bytes, spec.Format, LocalImageProcessor.ContentTypeOf(spec.Format), working.Width, working.Height);
    }

    /// <summary>The XMP packet for <paramref name="provenance"/>: DigitalSourceType, creator tool, engine and model.</summary>
    public static byte[] BuildXmp(XmpProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        var model = provenance.Model is null ? string.Empty : $" cos:Model=\"{SecurityElement.Escape(provenance.Model)}\"";
        var packet = string.Create(CultureInfo.InvariantCulture, $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about=""
                xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
                xmlns:xmp="http://ns.adobe.com/xap/1.0/"
                xmlns:cos="{CosNamespace}"
                Iptc4xmpExt:DigitalSourceType="{DigitalSourceTypes.Uri(provenance.SourceType)}"
                xmp:CreatorTool="CommerceOS"
                cos:Engine="{SecurityElement.Escape(provenance.Engine)}"{model}/>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="w"?>
            """);
        return Encoding.UTF8.GetBytes(packet);
    }

    /// <summary>The provenance in an encoded image's XMP, or null when it has none of ours.</summary>
    public static XmpProvenance? ReadProvenance(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var image = Image.NewFromBuffer(encoded, access: Enums.Access.Sequential);
        return image.Contains(XmpField) ? ParseXmp((byte[])image.Get(XmpField)) : null;
    }

    /// <summary>Reads DigitalSourceType, engine and model back from an XMP packet we wrote.</summary>
    public static XmpProvenance? ParseXmp(byte[] xmp)
    {
        var text = Encoding.UTF8.GetString(xmp);
        var typeUri = Attribute(text, "Iptc4xmpExt:DigitalSourceType");
        var engine = Attribute(text, "cos:Engine");
        if (typeUri is null || engine is null || !typeUri.StartsWith(DigitalSourceTypes.VocabularyBase, StringComparison.Ordinal))
        {
            return null;
        }

        var code = typeUri[DigitalSourceTypes.VocabularyBase.Length..];
        foreach (var type in Enum.GetValues<DigitalSourceType>())
        {
            if (DigitalSourceTypes.Code(type) == code)
            {
                return new XmpProvenance(type, Unescape(engine), Attribute(text, "cos:Model") is { } model ? Unescape(model) : null);
            }
        }

        return null;
    }

    private static string? Attribute(string xml, string name)
    {
        var start = xml.IndexOf(name + "=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += name.Length + 2;
        var end = xml.IndexOf('"', start);
        return end < 0 ? null : xml[start..end];
    }

    private static string Unescape(string value) =>
        value.Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal)
            .Replace("&quot;", "\"", StringComparison.Ordinal).Replace("&apos;", "'", StringComparison.Ordinal)
            .Replace("&amp;", "&", StringComparison.Ordinal);

    /// <remarks>
    /// Huffman optimisation is off by default: at q90 on a 2000 x 2000 photo it costs about 40 % of the whole
    /// fit-and-encode (a second pass over every coefficient) to save about 7 % of the bytes. It is used only when
    /// a size limit is exceeded (bench/RESULTS.md, fit-and-encode).
    /// </remarks>
    private static byte[] Save(Image image, ImageFormat format, int quality, bool optimizeCoding = false) => format switch
    {
        ImageFormat.Jpeg => image.JpegsaveBuffer(q: quality, optimizeCoding: optimizeCoding, keep: Enums.ForeignKeep.Xmp),
        ImageFormat.Png => image.PngsaveBuffer(compression: 6, keep: Enums.ForeignKeep.Xmp),
        ImageFormat.WebP => image.WebpsaveBuffer(q: quality, effort: 4, keep: Enums.ForeignKeep.Xmp),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Generated images are JPEG, PNG or WebP."),
    };
}
