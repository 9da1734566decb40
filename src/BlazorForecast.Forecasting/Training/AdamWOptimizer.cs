using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BlazorForecast.Forecasting.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) written against tensors directly. TorchSharp 0.107's built-in Adam and AdamW (and its
/// add_(Scalar) overload) pass temporary Scalars to native code that the garbage collector may finalise mid-call; on
/// long runs (thousands of small batches) that surfaced as "Unknown scalar type" from libtorch. Here every Scalar is
/// created explicitly and lives until its call returns, and the moments are created once, outside any batch scope.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly double _weightDecay;
    private long _step;

    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.Where(p => p.requires_grad).ToArray();
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        using (no_grad())
        {
            _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
    }

    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            parameter.grad?.zero_();
        }
    }

    public void Step()
    {
        _step++;
        var correction1 = 1 - Math.Pow(Beta1, _step);
        var correction2 = 1 - Math.Pow(Beta2, _step);
        using var noGrad = no_grad();
        using var decay = (1 - (LearningRate * _weightDecay)).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var one = 1.0.ToScalar();
        using var rootCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var stepSize = (-LearningRate / correction1).ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            var parameter = _parameters[i];
            if (_weightDecay > 0)
            {
                parameter.mul_(decay);
            }

            _firstMoments[i].mul_(beta1).add_(gradient, oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(gradient, gradient, oneMinusBeta2);
            // add_(Scalar) alone would make TorchSharp create its alpha of 1 as a collectable temporary.
            var denominator = _secondMoments[i].sqrt().div_(rootCorrection2).add_(epsilon, one);
            parameter.addcdiv_(_firstMoments[i], denominator, stepSize);
        }
    }

    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_step);
        writer.Write(LearningRate);
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Save(writer);
        }
    }

    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _step = reader.ReadInt64();
        LearningRate = reader.ReadDouble();
        using var noGrad = no_grad();
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Load(reader);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _firstMoments.Concat(_secondMoments))
        {
            moment.Dispose();
        }
    }
}
