LOADED: list[str] = []


def load(rng, progress):
    LOADED.append("loaded")
    progress("示例能力的演示数据")
