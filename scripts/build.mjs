#!/usr/bin/env node
import { prepare } from './prepare.mjs';

prepare({ build: true });
