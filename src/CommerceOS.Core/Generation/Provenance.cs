namespace CommerceOS.Core.Generation;

/// <summary>IPTC Digital Source Type vocabulary (https://cv.iptc.org/newscodes/digitalsourcetype/).</summary>
public enum DigitalSourceType
{
    /// <summary>Made by a trained model (e.g. a scene generated from a prompt).</summary>
    TrainedAlgorithmicMedia = 0,

    /// <summary>A composite where at least one element came from a trained model.</summary>
    CompositeWithTrainedAlgorithmicMedia = 1,

    /// <summary>A composite of a captured photo with synthetic elements (our local engine's output).</summary>
    CompositeSynthetic = 2,

    /// <summary>Made purely by an algorithm without a trained model (size charts).</summary>
    AlgorithmicMedia = 3,
}

public static class DigitalSourceTypes
{
    public const string VocabularyBase = "http://cv.iptc.org/newscodes/digitalsourcetype/";

    public static string Uri(DigitalSourceType type) => VocabularyBase + Code(type);

    public static string Code(DigitalSourceType type) => type switch
    {
        DigitalSourceType.TrainedAlgorithmicMedia => "trainedAlgorithmicMedia",
        DigitalSourceType.CompositeWithTrainedAlgorithmicMedia => "compositeWithTrainedAlgorithmicMedia",
        DigitalSourceType.CompositeSynthetic => "compositeSynthetic",
        DigitalSourceType.AlgorithmicMedia => "algorithmicMedia",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}

/// <summary>
/// What is written into every generated file as XMP (no personal data: no prompt, no user, no
/// workspace). The full provenance (prompt, parameters, source asset) lives on the asset row.
/// </summary>
/// <param name="Engine">"local" or the provider name ("flux", "fal").</param>
/// <param name="Model">The provider's model id, or the local engine's skill version.</param>
public sealed record XmpProvenance(DigitalSourceType SourceType, string Engine, string? Model);

/// <summary>How a rendered image is finished: format, watermark, provenance.</summary>
public sealed record OutputSpec(Assets.ImageFormat Format, XmpProvenance Provenance, bool Watermark, int Quality = 90, long? MaxBytes = null);
