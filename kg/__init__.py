"""kg: a knowledge-graph builder for Chinese news on China's AI industry and policy."""

__version__ = "0.1.0"
